// Runs a session command against a fake entry root, on a sandbox folder of its own, with time that moves only by waiting.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Timers } from '../../core/agentClient/timers.ts';
import { sampleAccess } from '../../core/overlayAccess/overlayAccess.testkit.ts';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import { answered, fakeAgent, refused } from '../../core/session/fakeAgent.testkit.ts';
import type { FakeAgent, FakeHandlers } from '../../core/session/fakeAgent.testkit.ts';
import type { LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import type { Command } from './command.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';

export const KEPT_PASSWORD = 'the kept sandbox secret';
export const TOKEN = 'session-token-0123456789';

/** A sandbox folder with an access file and a kept password; removed by `remove`. */
export async function sandboxFolder(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'raincoat-session-command-'));
  await writeFile(path.join(dir, SANDBOX_FILES.access), JSON.stringify(sampleAccess()));
  await writeFile(path.join(dir, SANDBOX_FILES.password), `${KEPT_PASSWORD}\n`, { mode: 0o600 });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

const progress = (phase: LoginProgress['phase'], acknowledged: number, waitingFor: number[]): LoginProgress => ({
  loginId: 'login-0123456789',
  phase,
  acknowledged,
  expected: 2,
  waitingFor,
});

/** An entry root of two roots: root-2 acknowledges at the second poll; logout succeeds. */
export function twoRootEntry(extra: FakeHandlers = {}): FakeAgent {
  const polls = [progress('waiting', 1, [2]), progress('active', 2, [])];
  return fakeAgent({
    login: () => answered<'login'>({ session: TOKEN, loginId: 'login-0123456789', progress: progress('waiting', 1, [2]) }),
    loginProgress: () => answered<'loginProgress'>(polls.shift() ?? progress('active', 2, [])),
    logout: () => answered<'logout'>({ loggedOut: true }),
    ...extra,
  });
}

export { answered, refused };

/** Timers that fire at once, moving the clock on by their delay: polls take no real time. */
function hurriedClock(): Timers & { now(): number } {
  let now = 0;
  return {
    now: () => now,
    after(ms, fn) {
      now += ms;
      queueMicrotask(fn);
      return () => {};
    },
  };
}

export interface CommandRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `create(deps)` with `argv`, the fake entry root as every node's client, no terminal unless `typed` is given. */
export async function runSessionCommand(
  create: (deps: SessionCommandDeps) => Command,
  argv: string[],
  options: { client: FakeAgent; env: NodeJS.ProcessEnv; typed?: string[] },
): Promise<CommandRun> {
  const clock = hurriedClock();
  const typed = options.typed;
  const deps: SessionCommandDeps = {
    env: options.env,
    ask: () => (typed ? async () => typed.shift() ?? '' : undefined),
    now: clock.now,
    timers: clock,
    clientFor: () => options.client,
  };
  let out = '';
  let err = '';
  const code = await create(deps).run(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}
