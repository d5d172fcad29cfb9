// `raincoat login`, `status` and `logout` against real agents (two roots, one leaf): the first login refused until the
// default password is changed, each root's acknowledgement printed, every node in status --json (also from the
// `raincoat` process itself, which must not end before its command does), and a second administrator named with
// the root they hold the lock at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OverlayAccessSchema } from '../../src-shared/overlay/overlayAccess.ts';
import type { OverlayAccess } from '../../src-shared/overlay/overlayAccess.ts';
import { NODE_STATES } from '../../src-shared/protocol/messages.ts';
import { SANDBOX_FILES } from '../../src-shared/sandbox/sandboxControl.ts';
import { runRaincoat as raincoat } from '../../src-main/cli/runRaincoat.testkit.ts';
import { startCluster } from '../agent/agentCluster.ts';
import type { Cluster } from '../agent/agentCluster.ts';
import { answerOf } from '../agent/answerOf.ts';
import { testBundle } from '../agent/testBundle.ts';
import { onProcessEnd } from '../lab/exitCleanup.ts';
import { waitFor } from '../lab/wait.ts';

const NEIGHBOURS: ReadonlyMap<string, readonly string[]> = new Map([
  ['root-1', ['root-2', 'leaf-1-1']],
  ['root-2', ['root-1']],
  ['leaf-1-1', ['root-1']],
]);
const NEW_PASSWORD = 'a much better secret';
/** What the commands read from the environment; set here, restored after. */
const VARIABLES = ['RAINCOAT_SANDBOX_DIR', 'RAINCOAT_PASSWORD', 'RAINCOAT_NEW_PASSWORD'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let cluster: Cluster;
let dir: string;
/** The access file as a sandbox keeps it, in a folder of its own. */
let sandboxDir: string;
let accessFile: string;
let unregister = () => {};

function setEnv(values: Partial<Record<(typeof VARIABLES)[number], string>>) {
  for (const name of VARIABLES) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'raincoat-cli-e2e-'));
  unregister = onProcessEnd(() => rmSync(dir, { recursive: true, force: true }));
  cluster = await startCluster({ neighbours: NEIGHBOURS, bundle: await testBundle(), config: { heartbeatIntervalMs: 500 } });
  // The default password is refused until a root has heard every root it knows; status shows the leaf once heard.
  for (const [root, expected] of [['root-1', ['root-1', 'root-2', 'leaf-1-1']], ['root-2', ['root-1', 'root-2']]] as const) {
    await waitFor(async () => {
      const heard = await cluster.heardBy(root);
      return expected.every((node) => heard.includes(node));
    }, { timeoutMs: 15_000, what: `${root} to hear ${expected.join(', ')}` });
  }
  const access: OverlayAccess = OverlayAccessSchema.parse({
    version: 1,
    name: 'e2e',
    entry: 'root-1',
    controlCaPem: cluster.controlCa.certPem,
    nodes: Object.fromEntries(
      [...cluster.agents.values()].map((agent) => [agent.node, { url: agent.url, certPem: readFileSync(path.join(agent.dataDir, 'identity', 'cert.pem'), 'utf8'), backend: 'dry-run' }]),
    ),
  });
  accessFile = path.join(dir, 'access.json');
  writeFileSync(accessFile, JSON.stringify(access));
  sandboxDir = path.join(dir, 'sandbox');
}, 60_000);

afterAll(async () => {
  setEnv(saved);
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
  unregister();
});

describe('raincoat login and status against real agents', () => {
  it('refuses the first login with the default password, saying to set a new one with --new-password', async () => {
    setEnv({ RAINCOAT_PASSWORD: 'makeitrain' });
    expect(await raincoat('login', '--access', accessFile)).toEqual({
      code: 1,
      out: '',
      err: 'raincoat login: the default password must be changed at the first login: set a new password with --new-password\n',
    });
  });

  it("sets a new password with --new-password, printing each root's acknowledgement, and logs out", async () => {
    setEnv({ RAINCOAT_PASSWORD: 'makeitrain', RAINCOAT_NEW_PASSWORD: NEW_PASSWORD });
    const run = await raincoat('login', '--access', accessFile, '--new-password');
    expect(run).toMatchObject({ code: 0, err: '' });
    const lines = run.out.trim().split('\n');
    expect(lines[0]).toBe('root-1 accepted the login of administrator; every live root must acknowledge the administrator lock');
    expect(lines.filter((l) => /^root-\d acknowledged/.test(l)).sort()).toEqual(['root-1 acknowledged (1 of 2)', 'root-2 acknowledged (2 of 2)']);
    expect(lines.slice(-3)).toEqual(['logged in at root-1: every live root acknowledged (2 of 2)', 'the password of administrator is changed, on every root', 'logged out at root-1']);
    expect(run.out).not.toContain(NEW_PASSWORD);
  });

  it("lists every node with status --json and no arguments, from the sandbox's access file and kept password", async () => {
    mkdirSync(sandboxDir);
    writeFileSync(path.join(sandboxDir, SANDBOX_FILES.access), readFileSync(accessFile));
    writeFileSync(path.join(sandboxDir, SANDBOX_FILES.password), `${NEW_PASSWORD}\n`, { mode: 0o600 });
    setEnv({ RAINCOAT_SANDBOX_DIR: sandboxDir });
    const run = await raincoat('status', '--json');
    expect(run).toMatchObject({ code: 0, err: '' });
    expectNodes(JSON.parse(run.out));
  });

  it('gives the same from the raincoat process itself, which waits for its command to finish', async () => {
    const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.resolve('src-main/cli/launcher.cjs'), 'status', '--json'], { env: { ...process.env, RAINCOAT_SANDBOX_DIR: sandboxDir }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
    });
    expect(run).toMatchObject({ code: 0, err: '' });
    expectNodes(JSON.parse(run.out));
  });

  it('names the administrator holding the lock, and the root, when another is logged in elsewhere', async () => {
    const other = await cluster.app('root-2').login({ user: 'administrator', password: NEW_PASSWORD });
    const session = answerOf(other).session;
    try {
      await waitFor(async () => answerOf(await cluster.app('root-2', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'the login at root-2 to complete' });
      const held = 'the administrator lock is held: administrator "administrator" is logged in at root-2; try again once that session ends (at its logout, or after 30 minutes idle)\n';
      expect(await raincoat('login')).toEqual({ code: 1, out: '', err: `raincoat login: ${held}` });
      expect(await raincoat('logout')).toEqual({ code: 1, out: '', err: `raincoat logout: ${held}` });
    } finally {
      await cluster.app('root-2', session).logout();
    }
    expect(await raincoat('logout')).toEqual({ code: 0, out: 'no session is open: the administrator lock is free (logged in at root-1 to check, and out again)\n', err: '' });
  });
});

/** Exactly the shape the issue asks for: every node, roots and the leaf, each with exactly these fields. */
function expectNodes(json: { nodes: Record<string, unknown>[] }) {
  expect(Object.keys(json)).toEqual(['nodes']);
  expect(json.nodes.map((n) => [n.id, n.kind, n.name])).toEqual([
    [1, 'root', 'root-1'],
    ['1-1', 'leaf', 'leaf-1-1'],
    [2, 'root', 'root-2'],
  ]);
  for (const node of json.nodes) {
    expect(Object.keys(node)).toEqual(['id', 'kind', 'name', 'status', 'lastHeartbeat', 'topologyId']);
    expect(NODE_STATES).toContain(node.status);
    // Every node heard from, none deployed yet.
    expect(node).toMatchObject({ status: 'pending', lastHeartbeat: expect.any(Number), topologyId: null });
  }
}
