// What the commands that need an administrator session share: the overlay (`--access`, else the running sandbox's), the
// password, a login that shows the lock's progress, the work, and a logout whatever happened: no session outlives its
// command, and none is written to disk.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { DEFAULT_ADMINISTRATOR } from '../../../src-shared/protocol/defaultAdministrator.ts';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { AgentClient } from '../../core/agentClient/agentClient.ts';
import { awaitedTimers } from '../../core/agentClient/timers.ts';
import type { Timers } from '../../core/agentClient/timers.ts';
import { adminPassword, newAdminPassword } from '../../core/overlayAccess/adminPassword.ts';
import { terminalAsker } from '../../core/overlayAccess/askHidden.ts';
import { loadOverlay } from '../../core/overlayAccess/loadOverlay.ts';
import { chooseEntry } from '../../core/overlayAccess/chooseEntry.ts';
import { nodeClient } from '../../core/overlayAccess/nodeClient.ts';
import { login } from '../../core/session/login.ts';
import type { LoginFailure } from '../../core/session/loginFailure.ts';
import type { LockHolder } from '../../core/session/lockHolder.ts';
import type { Session, SessionEvent } from '../../core/session/session.ts';
import { SESSION_IDLE_MS } from '../../core/session/expiry.ts';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';

/** What a session command takes from the process, injected so commands are tested with a fake agent and no terminal. */
export interface SessionCommandDeps {
  env: NodeJS.ProcessEnv;
  /** The terminal to ask for a password on, when stdin is one. */
  ask: () => ((prompt: string) => Promise<string>) | undefined;
  now: () => number;
  timers: Timers;
  /** The client of a node of the overlay. */
  clientFor: (access: OverlayAccess, node: string) => AgentClient;
}

export const processDeps: SessionCommandDeps = {
  env: process.env,
  ask: terminalAsker,
  now: Date.now,
  // A command awaits its waits (polls, retries): they must keep the process alive.
  timers: awaitedTimers,
  clientFor: (access, node) => nodeClient(access, node, { timers: awaitedTimers }),
};

export const SESSION_OPTIONS = { access: { type: 'string' }, entry: { type: 'string' }, user: { type: 'string' } } as const;

const DEFAULT_USER = DEFAULT_ADMINISTRATOR.user;

export const SESSION_USAGE = `  --access FILE    the overlay's access file (default: the running sandbox's, ${SANDBOX_FILES.access} in
                   $RAINCOAT_SANDBOX_DIR, else $XDG_STATE_HOME/raincoat/sandbox, else ~/.local/state/raincoat/sandbox)
  --entry ROOT     log in at this root instead of the overlay's entry root: its name (root-2) or its agent's address
  --user USER      the administrator's user name (default: ${DEFAULT_USER})
The password comes from $RAINCOAT_PASSWORD, else the sandbox's kept one (for the sandbox's own access file), else it
is asked for on the terminal.`;

export interface SessionCommandOptions {
  /** `--access` and `--user` as parsed. */
  values: Record<string, string | boolean | undefined>;
  /** Set a new password at this login (`raincoat login --new-password`). */
  newPassword?: boolean;
  /** Where the lock's progress is told: the command's own output for login, nowhere for commands with results to print. */
  progress?: (line: string) => void;
}

/**
 * Logs in, runs `work` with the session, and logs out whatever `work` did. The exit code is work's, or 2 when the
 * overlay or a password cannot be found, or 1 when the login is refused (or logout fails after the work succeeded).
 */
export async function withSession(
  command: string,
  io: CliIo,
  deps: SessionCommandDeps,
  options: SessionCommandOptions,
  work: (session: Session, access: OverlayAccess, overlay: { sandbox: boolean }) => Promise<number>,
): Promise<number> {
  const say = (message: string) => io.err(`raincoat ${command}: ${message}`);
  const ask = deps.ask();
  const overlay = await loadOverlay({ ...(typeof options.values.access === 'string' ? { accessFile: options.values.access } : {}), env: deps.env, ...(ask ? { ask } : {}) });
  if (!overlay.ok) return (say(overlay.message), EXIT.usage);
  const { passwords } = overlay;
  const chosen = typeof options.values.entry === 'string' ? chooseEntry(overlay.access, options.values.entry) : { ok: true as const, access: overlay.access };
  if (!chosen.ok) return (say(chosen.message), EXIT.usage);
  const { access } = chosen;
  const password = await adminPassword(passwords);
  if (!password.ok) return (say(password.message), EXIT.usage);
  const fresh = options.newPassword ? await newAdminPassword(passwords) : undefined;
  if (fresh && !fresh.ok) return (say(fresh.message), EXIT.usage);

  const user = typeof options.values.user === 'string' ? options.values.user : DEFAULT_USER;
  const progress = options.progress;
  const result = await login(
    access,
    { user, password: password.password, ...(fresh ? { newPassword: fresh.password } : {}) },
    { client: deps.clientFor(access, access.entry), now: deps.now, timers: deps.timers, ...(progress ? { onEvent: (e) => lockLine(e, user).forEach(progress) } : {}) },
  );
  if (!result.ok) return (say(loginFailureText(result, command)), EXIT.invalid);
  const { session } = result;

  let code: number = EXIT.invalid;
  try {
    const kept = fresh ? await passwordChanged(user, fresh.password, passwords.keep, say, progress) : true;
    if (kept) code = await work(session, access, { sandbox: overlay.sandbox });
  } finally {
    const out = await session.logout();
    if (out.ok) progress?.(`logged out at ${session.entry}`);
    else {
      say(out.message);
      // A session left open locks every other administrator out until it expires: not a success.
      if (code === EXIT.ok) code = EXIT.invalid;
    }
  }
  return code;
}

/** Says so, and for the sandbox keeps the new password where the old one was; false when that could not be done. */
async function passwordChanged(
  user: string,
  password: string,
  keep: ((password: string) => Promise<void>) | undefined,
  say: (message: string) => void,
  progress: ((line: string) => void) | undefined,
): Promise<boolean> {
  progress?.(`the password of ${user} is changed, on every root`);
  if (!keep) return true;
  try {
    await keep(password);
  } catch (error) {
    say(`the password was changed, but keeping it for the sandbox failed (${(error as Error).message}): give it to the sandbox's commands in RAINCOAT_PASSWORD`);
    return false;
  }
  progress?.("the sandbox's kept password is the new one");
  return true;
}

/** The lines a login's progress prints; none for the session's later events (a command's session is short). */
function lockLine(event: SessionEvent, user: string): string[] {
  const counts = 'expected' in event ? event : 'progress' in event ? event.progress : undefined;
  const count = counts ? ` (${counts.acknowledged} of ${counts.expected})` : '';
  switch (event.type) {
    case 'accepted':
      return [`${event.entry} accepted the login of ${user}; every live root must acknowledge the administrator lock`];
    case 'acknowledged':
      return [`${event.root} acknowledged${count}`];
    case 'no-longer-awaited':
      return [`${event.root} is no longer awaited: it acknowledged or was taken for down${count}`];
    case 'awaiting':
      return [`${event.root} is awaited too${count}`];
    case 'established':
      return [`logged in at ${event.entry}: every live root acknowledged${count}`];
    case 'expiring':
    case 'ended':
      return [];
  }
}

/** Why the login failed, in words that say what to do. */
function loginFailureText(failure: LoginFailure, command: string): string {
  switch (failure.code) {
    case 'new-password-required':
      return `the default password must be changed at the first login: ${command === 'login' ? 'set a new password with --new-password' : 'run "raincoat login --new-password" first'}`;
    case 'weak-password':
      return `the new password is refused: ${failure.message}`;
    case 'locked':
      return failure.holder ? `${holderText(failure.holder)}; try again once that session ends (at its logout, or after ${SESSION_IDLE_MS / 60_000} minutes idle)` : failure.message;
    default:
      return failure.message;
  }
}

function holderText(holder: LockHolder): string {
  const who = holder.user === undefined ? 'an administrator' : `administrator "${holder.user}"`;
  return holder.established
    ? `the administrator lock is held: ${who} is logged in at ${holder.root}`
    : `the administrator lock went to ${who}, logging in at ${holder.root} at the same time (the lower root id wins)`;
}
