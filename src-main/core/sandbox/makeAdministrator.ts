// Makes the sandbox's administrator: the first login with the built-in credentials sets a random password, and once the
// lock is taken at every root (so the password holds overlay-wide) the session ends at once.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { DEFAULT_ADMINISTRATOR } from '../../../src-shared/protocol/defaultAdministrator.ts';
import { awaitedTimers, sleep } from '../agentClient/timers.ts';
import { login } from '../session/login.ts';
import { SandboxError } from './sandboxError.ts';

export interface MakeAdministratorOptions {
  /** Until the roots have heard one another and the lock is taken everywhere. */
  deadlineMs: number;
  /** Told why the entry root is not ready yet, each time it says so. */
  onWait?: (reason: string) => void;
  /** Told how many roots have acknowledged the login, of how many, as they do. */
  onLock?: (acknowledged: number, expected: number) => void;
  login?: typeof login;
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
}

const RETRY_MS = 250;

export async function makeAdministrator(access: OverlayAccess, password: string, options: MakeAdministratorOptions): Promise<void> {
  const { login: logIn = login, now = Date.now, wait = (ms) => sleep(awaitedTimers, ms) } = options;
  const deadline = now() + options.deadlineMs;
  for (;;) {
    const result = await logIn(access, { ...DEFAULT_ADMINISTRATOR, newPassword: password }, {
      maxWaitMs: Math.max(0, deadline - now()),
      onEvent: (event) => {
        if ('progress' in event) options.onLock?.(event.progress.acknowledged, event.progress.expected);
      },
    });
    if (result.ok) {
      const out = await result.session.logout();
      if (!out.ok) throw new SandboxError(`${access.entry} did not end the administrator's first session: ${out.message}`);
      return;
    }
    // A root refuses the built-in password until it has heard every root it knows (so that none takes it after
    // another has set a password): right after the agents start, that takes a few heartbeats.
    if (result.code !== 'unavailable' || now() > deadline) throw new SandboxError(`${access.entry} did not let the administrator be made: ${result.message}`);
    options.onWait?.(result.message);
    await wait(RETRY_MS);
  }
}
