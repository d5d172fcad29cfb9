import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { fakeAccess, fakeOverlay } from '../../core/deployRun/fakeOverlay.testkit.ts';
import type { FakeOverlay } from '../../core/deployRun/fakeOverlay.testkit.ts';
import { answered, fakeAgent, refused } from '../../core/session/fakeAgent.testkit.ts';
import type { FakeAgent, FakeHandlers } from '../../core/session/fakeAgent.testkit.ts';
import type { Timers } from '../../core/agentClient/timers.ts';
import { createDeployCommand } from './deploy.ts';
import { TEST_PASSPHRASE } from '../../core/secrets/unlocker.testkit.ts';

const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1'];
const access = fakeAccess(Object.fromEntries(NODES.map((n) => [n, 'dry-run'])));
const TOPOLOGY = { roots: [makeRoot(1, { maxClients: 50 }), makeRoot(2, { maxClients: 50 })], tunnels: [{ a: 1, b: 2 }] };
const TOKEN = 'session-token-0123456789';
const LOGIN_ID = 'login-0123456789';

let dir: string;
let clock: { now(): number } & Timers;
let overlay: FakeOverlay;
let agent: FakeAgent;
let handlers: FakeHandlers;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-deploy-cli-'));
  await writeFile(path.join(dir, 'access.json'), JSON.stringify(access));
  await writeFile(path.join(dir, 'topology.json'), JSON.stringify(TOPOLOGY));
  await writeFile(path.join(dir, 'invalid.json'), JSON.stringify({ roots: [TOPOLOGY.roots[0], TOPOLOGY.roots[0]] }));
  clock = steppingTimers(Date.parse('2026-12-07T12:00:00Z'));
  overlay = fakeOverlay(NODES, clock);
  const progress = { loginId: LOGIN_ID, phase: 'active' as const, acknowledged: 2, expected: 2, waitingFor: [] };
  handlers = {
    login: () => answered<'login'>({ session: TOKEN, loginId: LOGIN_ID, progress }),
    loginProgress: () => answered<'loginProgress'>(progress),
    logout: () => answered<'logout'>({ loggedOut: true }),
    status: () => overlay.entry.status(),
    deploy: (body) => overlay.entry.deploy(body as Parameters<typeof overlay.entry.deploy>[0]),
    confirmDeploy: (body) => overlay.entry.confirmDeploy(body as { topologyId: string }),
    recordAudit: () => answered<'recordAudit'>({ id: 'AAAAAAAAAAAAAAAA' }),
  };
  agent = fakeAgent(handlers);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/**
 * Time that moves only by the command's own waits, each passing at once (the command does real file work between them,
 * which a hand-driven clock could not wait for).
 */
function steppingTimers(start: number): { now(): number } & Timers {
  let now = start;
  return {
    now: () => now,
    after(ms, fn) {
      let live = true;
      setImmediate(() => {
        if (!live) return;
        now += ms;
        fn();
      });
      return () => (live = false);
    },
  };
}

/** Runs `raincoat deploy` on the stepping clock; `answer` is what the terminal answers, or null for no terminal; `env` changes the environment. */
async function run(args: string[], answer: string | null = null, env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const questions: string[] = [];
  const command = createDeployCommand({
    env: { RAINCOAT_PASSWORD: 'the password', RAINCOAT_PASSPHRASE: TEST_PASSPHRASE, RAINCOAT_SANDBOX_DIR: path.join(dir, 'no-sandbox'), ...env },
    ask: () => undefined,
    now: clock.now,
    timers: clock,
    clientFor: () => agent,
    confirm: () =>
      answer === null
        ? undefined
        : async (question) => {
            questions.push(question);
            return answer === 'y';
          },
  });
  const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
  const code = await (command.run([...args, '--state', path.join(dir, 'state'), '--access', path.join(dir, 'access.json')], io));
  return { code, out, err, questions, routes: agent.calls.map((c) => c.route), recorded: agent.calls.filter((c) => c.route === 'recordAudit').map((c) => c.body) };
}

describe('raincoat deploy', () => {
  it('with --yes: prints the plan, a line per node as it reports, a summary, exits 0 and logs out', async () => {
    const { code, out, routes, recorded } = await run([path.join(dir, 'topology.json'), '--yes']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^plan for topology \S+: 4 nodes \(4 added, 0 changed, 0 unchanged, 0 removed\)$/);
    // Its firewall.nft and its uplink server's jailed CRL among them: a deploy hardens every node.
    expect(lines).toContain('+ root-1 (dry-run): 14 files');
    expect(lines).toContain('  tunnel-1-2: pre-shared key');
    for (const node of NODES) expect(lines).toContain(`${node}: applied`);
    expect(out).toMatch(/\nconfirmed topology \S+ on every node\nsummary: 4 of 4 nodes run topology \S+; 0 failed, 0 unreachable; confirmed\n$/);
    expect(routes[0]).toBe('login');
    expect(routes).toContain('deploy');
    expect(routes.at(-1)).toBe('logout');
    // The plan and every node's outcome recorded in the overlay's audit trail, in the same session, before its logout.
    expect(routes.slice(-3)).toEqual(['recordAudit', 'recordAudit', 'logout']);
    expect(recorded).toEqual([
      expect.objectContaining({ kind: 'deploy-plan', counts: { added: 4, changed: 0, unchanged: 0, removed: 0, keys: expect.any(Number) }, added: NODES }),
      expect.objectContaining({ kind: 'deploy-outcome', result: 'followed', confirmed: true, counts: { applied: 4, failed: 0, unreachable: 0 }, applied: NODES, problems: [] }),
    ]);
  });

  it('says so, without failing the deploy, when the audit trail does not take it', async () => {
    agent = fakeAgent({ ...handlers, recordAudit: () => refused('unavailable', 'the audit trail is full of itself', 503) });
    const { code, err } = await run([path.join(dir, 'topology.json'), '--yes']);
    expect(code).toBe(0);
    expect(err).toContain("\nraincoat deploy: not recorded in the overlay's audit trail: the audit trail did not take the deploy-plan entry: the audit trail is full of itself\n");
  });

  it('asks on a terminal, and sends nothing but the login when the answer is no', async () => {
    const { code, out, questions, routes } = await run([path.join(dir, 'topology.json')], 'n');
    expect(questions).toEqual(['Deploy to test, changing 4 nodes? [y/N] ']);
    expect(code).toBe(1);
    expect(out).toContain('not deployed; nothing was sent');
    expect(routes).not.toContain('deploy');
    expect(routes).not.toContain('recordAudit');
    expect(routes.at(-1)).toBe('logout');
  });

  it('refuses to ask when stdin is not a terminal, before logging in', async () => {
    const { code, err, routes } = await run([path.join(dir, 'topology.json')]);
    expect(code).toBe(2);
    expect(err).toBe('raincoat deploy: stdin is not a terminal to ask for approval on: pass --yes to deploy without being asked\n');
    expect(routes).toEqual([]);
  });

  it("refuses without a passphrase for the overlay's keys, before the plan, sending no deploy", async () => {
    const { code, out, err, routes } = await run([path.join(dir, 'topology.json'), '--yes'], null, { RAINCOAT_PASSPHRASE: '' });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain("raincoat-keys.json: no passphrase: a new passphrase for the overlay's keys is needed; set RAINCOAT_PASSPHRASE, or run the command on a terminal to be asked for it\nraincoat deploy: refused; nothing was sent\n");
    expect(routes).not.toContain('deploy');
    expect(routes.at(-1)).toBe('logout');
  });

  it('refuses an invalid topology with validate\'s messages and exit 1, sending nothing at all', async () => {
    const { code, err, routes } = await run([path.join(dir, 'invalid.json'), '--yes']);
    expect(code).toBe(1);
    expect(err).toMatch(/^roots\[1\]\.id: /m);
    expect(routes).toEqual([]);
  });

  it('exits 1 with the core\'s refusal when the overlay has no agent for a node, sending no deploy', async () => {
    await writeFile(path.join(dir, 'bigger.json'), JSON.stringify({ ...TOPOLOGY, roots: [...TOPOLOGY.roots, makeRoot(3, { maxClients: 50 })] }));
    const { code, out, err, routes } = await run([path.join(dir, 'bigger.json'), '--yes']);
    expect(code).toBe(1);
    expect(out).toBe('');
    // After the login's own lines.
    expect(err).toContain(
      [
        '\nroot-3: overlay "test" has no agent for it; install its agent first',
        'leaf-3-1: overlay "test" has no agent for it; install its agent first',
        'raincoat deploy: refused; nothing was sent',
        '',
      ].join('\n'),
    );
    expect(routes).toEqual(['login', 'logout']);
  });

  it('exits 1 when a node fails, with its reason on its line, and still logs out', async () => {
    overlay.behave('leaf-2-1', { does: 'fail', reason: 'apply failed: disk full; reverted to the configuration from before Raincoat' });
    const { code, out, routes, recorded } = await run([path.join(dir, 'topology.json'), '--yes']);
    expect(code).toBe(1);
    expect(out).toContain('\nleaf-2-1: failed: apply failed: disk full; reverted to the configuration from before Raincoat\n');
    expect(recorded.at(-1)).toMatchObject({ counts: { applied: 3, failed: 1, unreachable: 0 }, problems: [{ node: 'leaf-2-1', outcome: 'failed', reason: 'apply failed: disk full; reverted to the configuration from before Raincoat' }] });
    expect(out).toMatch(/summary: 3 of 4 nodes run topology \S+; 1 failed, 0 unreachable; confirmed\n$/);
    expect(routes.at(-1)).toBe('logout');
  });

  it('exits 1 and says the deploy reverts when a node cannot be reached', async () => {
    overlay.behave('root-2', { does: 'silent' });
    const { code, out } = await run([path.join(dir, 'topology.json'), '--yes', '--timeout', '20']);
    expect(code).toBe(1);
    expect(out).toMatch(/\nroot-2: unreachable: down \(last heartbeat [^)]+\)\n/);
    expect(out).toMatch(/\nnot confirmed: root-2 could not be reached; every node goes back to what it ran before by itself, by about \S+\n/);
    expect(overlay.confirmed).toEqual([]);
  });

  it.each([
    { args: ['--timeout', '0'], message: 'raincoat deploy: --timeout: expected a number of seconds from 1 to 3600, found "0"\n' },
    { args: ['--vyos', '1.3'], message: 'raincoat deploy: --vyos: expected 1.4 or 1.5, found "1.3"\n' },
  ])('refuses $args with exit 2', async ({ args, message }) => {
    const { code, err } = await run([path.join(dir, 'topology.json'), '--yes', ...args]);
    expect(code).toBe(2);
    expect(err).toBe(message);
  });
});
