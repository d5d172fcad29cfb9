// An established administrator session at the entry root: its routes with the token, when it will expire for lack of
// activity (with a warning before), and logout. The token stays inside; nothing here writes it anywhere.
import { agentApi, APPLICATION_ROUTES } from '../../../src-shared/protocol/agentApi.ts';
import type { ApplicationRoute, LoginProgress, RouteSpec } from '../../../src-shared/protocol/agentApi.ts';
import type { AgentClient, AgentMethods } from '../agentClient/agentClient.ts';
import type { AgentResult } from '../agentClient/agentAnswer.ts';
import type { Timers } from '../agentClient/timers.ts';
import { expiryStage, untilNextStage } from './expiry.ts';
import type { LockProgressEvent } from './lockProgressEvents.ts';

/**
 * What a session tells as it goes: the login accepted (credentials checked, the lock being taken), each root's
 * acknowledgement (LockProgressEvent), established, a warning before it expires, and its end (logout, idle expiry,
 * or the entry root no longer knowing it).
 */
export type SessionEvent =
  | { type: 'accepted'; entry: string; progress: LoginProgress }
  | LockProgressEvent
  | { type: 'established'; entry: string; progress: LoginProgress; expiresAt: number }
  | { type: 'expiring'; expiresAt: number }
  | { type: 'ended'; reason: string };

/** What the application keeps of a session to take it up again after a restart (keptSession.ts). */
export interface KeptSession {
  entry: string;
  user: string;
  loginId: string;
  token: string;
}

export interface Session {
  readonly user: string;
  /** The root the session is at, e.g. `root-1`: sessions are known there only. */
  readonly entry: string;
  readonly loginId: string;
  /** The entry root's routes with the session's token; each answered call counts as activity. */
  readonly api: AgentMethods;
  /** Epoch ms at which the entry root ends the session if nothing is asked of it meanwhile (at the earliest). */
  expiresAt(): number;
  /**
   * What the application keeps to take the session up again after a restart (keptSession.ts): the token travels in it
   * to the application's own state folder and nowhere else.
   */
  keepable(): KeptSession;
  /** Ends the session at the entry root and closes the client. A session the root had ended already counts as ended. */
  logout(): Promise<{ ok: true } | { ok: false; message: string }>;
}

export interface SessionOptions {
  client: AgentClient;
  token: string;
  user: string;
  entry: string;
  loginId: string;
  /** When the entry root last counted activity, at the latest: the session's expiry is reckoned from it. */
  lastActivity: number;
  now: () => number;
  timers: Timers;
  idleMs: number;
  warnMs: number;
  onEvent: (event: SessionEvent) => void;
}

/** Routes that count as activity at the agent: those a session calls as a session. */
const touches = (name: ApplicationRoute) => (agentApi[name] as RouteSpec).access.includes('session');

export function openSession(options: SessionOptions): Session {
  const { client, token, now, timers, idleMs, warnMs, onEvent } = options;
  const withToken = client.withSession(token);
  let lastActivity = options.lastActivity;
  let warned = false;
  let ended = false;
  let cancelTimer = () => {};

  const expiresAt = () => lastActivity + idleMs;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    cancelTimer();
    onEvent({ type: 'ended', reason });
  };
  const arm = () => {
    cancelTimer();
    const wait = untilNextStage(now(), expiresAt(), warnMs);
    cancelTimer = wait === undefined ? () => {} : timers.after(wait, check);
  };
  function check() {
    const stage = expiryStage(now(), expiresAt(), warnMs);
    if (stage === 'expired') return end(`idle for ${Math.round(idleMs / 60_000)} minutes: the entry root ends such a session`);
    if (stage === 'expiring' && !warned) {
      warned = true;
      onEvent({ type: 'expiring', expiresAt: expiresAt() });
    }
    arm();
  }
  const active = (sentAt: number) => {
    if (ended || sentAt <= lastActivity) return;
    lastActivity = sentAt;
    if (expiryStage(now(), expiresAt(), warnMs) === 'fresh') warned = false;
    arm();
  };

  const api = {} as Record<ApplicationRoute, (body?: unknown) => Promise<AgentResult<ApplicationRoute>>>;
  for (const name of APPLICATION_ROUTES) {
    const call = withToken[name] as (body?: unknown) => Promise<AgentResult<ApplicationRoute>>;
    api[name] = async (body) => {
      const sentAt = now();
      const result = await call(body);
      if (!touches(name)) return result;
      if (!result.ok && result.code === 'unauthenticated') end(`${options.entry} no longer knows this session: ${result.reason}`);
      // Answered by the agent as this session (a refusal of what was asked included): the agent counted it.
      else if (result.ok || result.status !== undefined) active(sentAt);
      return result;
    };
  }

  arm();
  return {
    user: options.user,
    entry: options.entry,
    loginId: options.loginId,
    api: api as AgentMethods,
    expiresAt,
    keepable: () => ({ entry: options.entry, user: options.user, loginId: options.loginId, token }),
    async logout() {
      const result = await withToken.logout();
      client.close();
      if (!result.ok && result.code !== 'unauthenticated') {
        cancelTimer();
        return { ok: false, message: `${options.entry} did not end the session (${result.reason}); it ends by itself after ${Math.round(idleMs / 60_000)} minutes idle` };
      }
      end('logged out');
      return { ok: true };
    },
  };
}
