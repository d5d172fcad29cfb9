// The administrator at a root, started: the overlay-wide lock ticking on the clock, login and sessions against the held
// credential, and the lock's messages.
import type { Clock, TimerHandle } from '../clock.ts';
import type { MessageHandlers } from '../flood/startFlooding.ts';
import type { StatusBook } from '../heartbeat/statusBook.ts';
import { createAdminLock } from './adminLock.ts';
import type { AdminLock, AdminLockOptions } from './adminLock.ts';
import { createAdministration } from './administration.ts';
import type { Administration } from './administration.ts';
import { createCheckBudget } from './checkBudget.ts';
import type { HeldCredential } from './heldCredential.ts';
import { createLoginRateLimiter } from './loginRateLimiter.ts';

/** How often the lock checks idle expiry, login timeouts and resends. */
const LOCK_TICK_MS = 1_000;

export interface AdministratorOptions {
  rootId: number;
  credential: HeldCredential;
  /** Which roots count for the lock and for the default password. */
  book: Pick<StatusBook, 'liveRoots' | 'heardFrom' | 'unheardRoots'>;
  /** Floods the lock's messages: the router's originate. */
  flood: AdminLockOptions['flood'];
  clock: Pick<Clock, 'now' | 'setInterval' | 'clearTimeout'>;
  idleMs: number;
  /** Sends a heartbeat now, so a password set here reaches the other roots at once. */
  beat: () => void;
  /** Told of every change of this root's own login (the audit trail records the lock's). */
  onLocalLogin?: AdminLockOptions['onLocalLogin'];
}

export interface Administrator {
  handlers: ReturnType<Administration['handlers']>;
  messageHandlers: Required<Pick<MessageHandlers, 'i_have_administrator' | 'acknowledge_administrator' | 'i_lost_administrator'>>;
  isSession: Administration['isSession'];
  userOf: Administration['userOf'];
  /** The claim this root honours now: a grant of enrollment tokens is taken only from its root. */
  holder: AdminLock['holder'];
  stop(): void;
}

export function startAdministrator(options: AdministratorOptions): Administrator {
  const { rootId, book, clock } = options;
  const lock = createAdminLock({ selfRootId: rootId, now: clock.now, liveRoots: () => book.liveRoots(), heardFrom: (node) => book.heardFrom(node), flood: options.flood, idleMs: options.idleMs, onLocalLogin: options.onLocalLogin });
  const administration = createAdministration({
    lock,
    limiter: createLoginRateLimiter({ now: clock.now }),
    budget: createCheckBudget({ now: clock.now }),
    credential: options.credential,
    unheardRoots: () => book.unheardRoots(),
    onCredentialChanged: options.beat,
  });
  const ticking: TimerHandle = clock.setInterval(() => lock.tick(), LOCK_TICK_MS);
  return {
    handlers: administration.handlers(),
    messageHandlers: {
      i_have_administrator: (message) => lock.receive(message),
      acknowledge_administrator: (message) => lock.receive(message),
      i_lost_administrator: (message) => lock.receive(message),
    },
    isSession: (token) => administration.isSession(token),
    userOf: (token) => administration.userOf(token),
    holder: () => lock.holder(),
    stop: () => clock.clearTimeout(ticking),
  };
}
