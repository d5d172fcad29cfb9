// Logs the administrator in at an overlay's entry root and follows the administrator lock until every live root has
// acknowledged, telling each acknowledgement as it arrives: a session, or why not (who holds the lock, and where).
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import type { LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import { rootNodeName } from '../../../src-shared/plan/nodeNames.ts';
import type { AgentClient } from '../agentClient/agentClient.ts';
import { awaitedTimers, sleep, systemTimers } from '../agentClient/timers.ts';
import type { Timers } from '../agentClient/timers.ts';
import { nodeClient } from '../overlayAccess/nodeClient.ts';
import { EXPIRY_WARNING_MS, SESSION_IDLE_MS } from './expiry.ts';
import { lockProgressEvents } from './lockProgressEvents.ts';
import { endedLogin, lostLogin, refusedLogin } from './loginFailure.ts';
import type { LoginFailure } from './loginFailure.ts';
import { openSession } from './session.ts';
import type { Session, SessionEvent } from './session.ts';

export interface LoginCredentials {
  user: string;
  password: string;
  /** Required at the first login with the default credentials; at a later one it changes the password. */
  newPassword?: string;
}

export interface LoginOptions {
  /** The entry root's client; by default one is made from the access. The session owns it: closed at logout or failure. */
  client?: AgentClient;
  now?: () => number;
  /** What the polls (and the default client's retries) wait with; by default timers that keep the process alive, since the caller awaits them. */
  timers?: Timers;
  /** What the session's expiry is timed with; by default unref'd timers: a session left open must not hold a process. */
  sessionTimers?: Timers;
  onEvent?: (event: SessionEvent) => void;
  /** How often the lock's progress is asked for while it is taken. */
  pollMs?: number;
  /** Beyond the agent's own login timeout (120 s), when to give up on an entry root that keeps answering `waiting`. */
  maxWaitMs?: number;
  idleMs?: number;
  warnMs?: number;
}

export type LoginResult = { ok: true; session: Session; progress: LoginProgress } | LoginFailure;

const LOGIN_POLL_MS = 250;
const MAX_WAIT_MS = 150_000;

export async function login(access: OverlayAccess, credentials: LoginCredentials, options: LoginOptions = {}): Promise<LoginResult> {
  const entry = access.entry;
  const pollTimers = options.timers ?? awaitedTimers;
  // Its retries wait with the polls' timers: with unref'd ones, a command awaiting a login whose entry root answered
  // "busy" ended in the middle of it (the sandbox's first login at 250 agents did).
  const client = options.client ?? nodeClient(access, entry, { timers: pollTimers });
  const now = options.now ?? Date.now;
  const onEvent = options.onEvent ?? (() => {});
  const pollMs = options.pollMs ?? LOGIN_POLL_MS;

  const startedAt = now();
  const answer = await client.api.login(credentials);
  if (!answer.ok) {
    client.close();
    return refusedLogin(answer, credentials.newPassword !== undefined);
  }
  const { session: token, loginId } = answer.answer;
  const withToken = client.withSession(token);
  const fail = async (failure: LoginFailure): Promise<LoginFailure> => {
    // Frees the lock (or forgets the token) at once rather than when the entry root times the login out.
    await withToken.logout();
    client.close();
    return failure;
  };

  let progress = answer.answer.progress;
  onEvent({ type: 'accepted', entry, progress });
  lockProgressEvents(undefined, progress, entry).forEach(onEvent);
  // The entry root counts the session's activity from when the last root acknowledged, which is after this.
  let waitingSince = startedAt;
  while (progress.phase === 'waiting') {
    if (now() - startedAt >= (options.maxWaitMs ?? MAX_WAIT_MS)) {
      return fail({ ok: false, code: 'refused', message: `${entry} still waits for ${roots(progress.waitingFor)} to acknowledge after ${Math.round((now() - startedAt) / 1000)} s` });
    }
    await sleep(pollTimers, pollMs);
    const askedAt = now();
    const next = await withToken.loginProgress();
    if (!next.ok) return fail(lostLogin(entry, next));
    lockProgressEvents(progress, next.answer, entry).forEach(onEvent);
    progress = next.answer;
    if (progress.phase === 'waiting') waitingSince = askedAt;
  }
  if (progress.phase !== 'active') return fail(endedLogin(progress));

  const session = openSession({
    client,
    token,
    user: credentials.user,
    entry,
    loginId,
    lastActivity: waitingSince,
    now,
    timers: options.sessionTimers ?? systemTimers,
    idleMs: options.idleMs ?? SESSION_IDLE_MS,
    warnMs: options.warnMs ?? EXPIRY_WARNING_MS,
    onEvent,
  });
  onEvent({ type: 'established', entry, progress, expiresAt: session.expiresAt() });
  return { ok: true, session, progress };
}

function roots(ids: readonly number[]): string {
  return ids.map(rootNodeName).join(', ');
}
