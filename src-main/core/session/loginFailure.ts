// Why a login did not give a session, from the entry root's refusal or from how its lock progress ended: pure.
import type { LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import type { AgentFailure } from '../agentClient/agentAnswer.ts';
import { lockHolder } from './lockHolder.ts';
import type { LockHolder } from './lockHolder.ts';

/**
 * - `new-password-required`: the first login with the default credentials must set a new password;
 * - `weak-password`: the new password given is refused (the message says why);
 * - `bad-credentials`, `rate-limited`;
 * - `locked`: another administrator holds the lock, or won it (`holder` says who and at which root);
 * - `unavailable`: the entry root cannot take a login now (it waits to hear the roots it knows, say);
 * - `unreachable`: no answer from the entry root, or none that is its agent's;
 * - `refused`: anything else, the message from the agent (the lock timed out, a stored credential is unreadable, …).
 */
export type LoginFailureCode = 'new-password-required' | 'weak-password' | 'bad-credentials' | 'rate-limited' | 'locked' | 'unavailable' | 'unreachable' | 'refused';

export interface LoginFailure {
  ok: false;
  code: LoginFailureCode;
  /** The entry root's own words (never a password: the agent does not repeat them). */
  message: string;
  holder?: LockHolder;
}

/** Failures that are not the agent answering: nothing, too late, or not its API. */
const NO_ANSWER: ReadonlySet<AgentFailure['code']> = new Set(['unreachable', 'timeout', 'bad_answer']);

/** The entry root refused the login itself. `gaveNewPassword`: a 403 then is about the new password, else it asks for one. */
export function refusedLogin(failure: AgentFailure, gaveNewPassword: boolean): LoginFailure {
  const fail = (code: LoginFailureCode): LoginFailure => ({ ok: false, code, message: failure.reason });
  if (NO_ANSWER.has(failure.code)) return fail('unreachable');
  switch (failure.code) {
    case 'forbidden':
      return fail(gaveNewPassword ? 'weak-password' : 'new-password-required');
    case 'unauthenticated':
      return fail('bad-credentials');
    case 'rate_limited':
      return fail('rate-limited');
    case 'unavailable':
      return fail('unavailable');
    case 'conflict':
      return lockRefusal(failure.reason);
    default:
      return fail('refused');
  }
}

/** The lock refused the login (or its session ended) after the credentials were accepted. */
export function endedLogin(progress: LoginProgress): LoginFailure {
  return lockRefusal(progress.reason ?? `the login ended (${progress.phase})`);
}

function lockRefusal(reason: string): LoginFailure {
  const holder = lockHolder(reason);
  return holder ? { ok: false, code: 'locked', message: reason, holder } : { ok: false, code: 'refused', message: reason };
}

/** The entry root could not say how a login it accepted goes on (it restarted and forgot it, or stopped answering). */
export function lostLogin(entry: string, failure: AgentFailure): LoginFailure {
  return { ok: false, code: NO_ANSWER.has(failure.code) ? 'unreachable' : 'refused', message: `${entry} lost track of the login: ${failure.reason}` };
}
