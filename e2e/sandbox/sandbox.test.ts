// `raincoat sandbox` end to end, as a user runs it: up (two roots, three leaves) from a `raincoat` process that ends
// while the overlay runs on, status with every node up, the access file and the kept password the other commands
// use, a node stopped and started again, and down leaving no process and only what the user put in the folder; and a
// sandbox too large for one thread, whose agents run in the host's worker threads.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverlayAccessSchema } from '../../src-shared/overlay/overlayAccess.ts';
import type { OverlayAccess } from '../../src-shared/overlay/overlayAccess.ts';
import { HostFileSchema, SANDBOX_FILES } from '../../src-shared/sandbox/sandboxControl.ts';
import { login } from '../../src-main/core/session/login.ts';
import { testBundle } from '../agent/testBundle.ts';
import { onProcessEnd } from '../lab/exitCleanup.ts';
import { waitFor } from '../lab/wait.ts';

const LAUNCHER = path.resolve(import.meta.dirname, '../../src-main/cli/launcher.cjs');
const TOPOLOGY = {
  roots: [
    { id: 1, name: 'east', internetAddress: '203.0.113.10', overlay: '10.1.0.0/16', maxClients: 100 },
    { id: 2, name: 'west', internetAddress: '203.0.113.20', overlay: '10.2.0.0/16', maxClients: 150 },
  ],
  tunnels: [{ a: 1, b: 2 }],
};
const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'leaf-2-2'];

let parent: string;
let dir: string;
let bundle: string;
let hostPid: number | undefined;
let upOutput = '';
let unregister = () => {};

/** `raincoat ARGS` as its own process, in the sandbox folder under test. */
async function raincoat(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [LAUNCHER, ...args], { env: { ...process.env, RAINCOAT_SANDBOX_DIR: dir }, timeout: 60_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: failed.stdout ?? '', err: failed.stderr ?? '' };
  }
}

type Row = { node: string; port: number | null; process: string; state: string | null; lastHeartbeat: number | null };
async function status(): Promise<Row[]> {
  const result = await raincoat('sandbox', 'status', '--json');
  expect(result).toMatchObject({ code: 0, err: '' });
  return (JSON.parse(result.out) as { nodes: Row[] }).nodes;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function killHost() {
  if (hostPid !== undefined && alive(hostPid)) process.kill(hostPid, 'SIGKILL');
}

/** A sandbox folder of its own, whose host is killed whatever ends this process, and `raincoat sandbox up` there. */
async function up(topology: unknown) {
  parent = mkdtempSync(path.join(tmpdir(), 'raincoat-sandbox-e2e-'));
  dir = path.join(parent, 'sandbox');
  hostPid = undefined;
  // The host is started in a session of its own, so it would outlive this process: whatever ends it, kill the host.
  const folder = parent;
  unregister = onProcessEnd(() => {
    killHost();
    rmSync(folder, { recursive: true, force: true });
  });
  bundle = await testBundle();
  const file = path.join(parent, 'topology.json');
  writeFileSync(file, JSON.stringify(topology));
  const result = await raincoat('sandbox', 'up', file, '--agent', bundle);
  const hostFile = path.join(dir, SANDBOX_FILES.host);
  if (existsSync(hostFile)) hostPid = HostFileSchema.parse(JSON.parse(readFileSync(hostFile, 'utf8'))).pid;
  expect(result, result.err).toMatchObject({ code: 0 });
  upOutput = result.out;
}

async function down() {
  await raincoat('sandbox', 'down');
  killHost();
  rmSync(parent, { recursive: true, force: true });
  unregister();
}

describe('raincoat sandbox', () => {
  beforeAll(() => up(TOPOLOGY), 90_000);
  afterAll(down, 60_000);

  it('runs an agent per root and per leaf after the command that started them ended', async () => {
    expect(upOutput).toMatch(/The sandbox overlay is up: 5 agents on 127\.0\.0\.1 \(2 roots, 3 leaves\)/);
    expect(hostPid !== undefined && alive(hostPid)).toBe(true);
    const rows = await status();
    expect(rows.map((r) => [r.node, r.process])).toEqual(NODES.map((node) => [node, 'up']));
    expect(new Set(rows.map((r) => r.port)).size).toBe(NODES.length);
  });

  it('writes the access file the application and the command line read, naming the entry root it printed', () => {
    const access: OverlayAccess = OverlayAccessSchema.parse(JSON.parse(readFileSync(path.join(dir, SANDBOX_FILES.access), 'utf8')));
    expect(access).toMatchObject({ name: 'sandbox', entry: 'root-1' });
    expect(Object.keys(access.nodes)).toEqual(NODES);
    expect(upOutput).toContain(`entry root     root-1 at ${access.nodes['root-1']!.url}`);
  });

  it('keeps the password it printed once, readable by the user alone, and it logs the administrator in', async () => {
    const file = path.join(dir, SANDBOX_FILES.password);
    const password = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(upOutput).toContain(`administrator, password ${password}`);
    const access = OverlayAccessSchema.parse(JSON.parse(readFileSync(path.join(dir, SANDBOX_FILES.access), 'utf8')));
    const session = await login(access, { user: 'administrator', password });
    expect(session.ok && session.progress).toMatchObject({ phase: 'active', acknowledged: 2, expected: 2 });
    if (session.ok) expect(await session.session.logout()).toEqual({ ok: true });
  });

  it('stops one node while the others run on, and starts it again where it was', async () => {
    const before = await status();
    const port = before.find((r) => r.node === 'root-2')!.port;
    expect(await raincoat('sandbox', 'stop', 'root-2')).toMatchObject({ code: 0, out: `root-2 is stopped (port ${port})\n` });
    const stopped = await status();
    expect(stopped.map((r) => [r.node, r.process])).toEqual(NODES.map((node) => [node, node === 'root-2' ? 'stopped' : 'up']));
    const lastHeard = stopped.find((r) => r.node === 'root-2')!.lastHeartbeat ?? 0;
    expect(await raincoat('sandbox', 'start', 'root-2')).toMatchObject({ code: 0, out: `root-2 is up (port ${port})\n` });
    // Back: the entry root hears it beat again.
    await waitFor(async () => ((await status()).find((r) => r.node === 'root-2')!.lastHeartbeat ?? 0) > lastHeard, { timeoutMs: 20_000, intervalMs: 500, what: 'root-1 to hear root-2 again' });
  });

  it('refuses a second up while this one runs, and says how to take it down', async () => {
    const again = await raincoat('sandbox', 'up', '--agent', bundle);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/a sandbox is already running in .*: take it down first with "raincoat sandbox down"/);
  });

  it('takes everything down, leaving no process and nothing but what the user put in the folder', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(await raincoat('sandbox', 'down')).toMatchObject({ code: 0, out: `the sandbox is down: 5 agents stopped, its files in ${dir} removed\n` });
    expect(alive(hostPid!)).toBe(false);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(await raincoat('sandbox', 'status')).toMatchObject({ code: 1, err: expect.stringMatching(/no sandbox is running/) });
  });
});

describe('a sandbox too large for one thread', () => {
  /** Three roots of eleven leaves each: 36 agents, more than the host runs in its own thread. */
  const LARGE = {
    roots: [1, 2, 3].map((id) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id * 10}`, overlay: `10.${id}.0.0/16`, maxClients: 1_100 })),
    tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }],
  };
  beforeAll(() => up(LARGE), 90_000);
  afterAll(down, 60_000);

  it("runs its agents in the host's worker threads, each stopped and started again where it ran", async () => {
    expect(upOutput).toMatch(/The sandbox overlay is up: 36 agents/);
    if (existsSync(`/proc/${hostPid}/task`)) {
      const threads = readdirSync(`/proc/${hostPid}/task`).map((task) => readFileSync(`/proc/${hostPid}/task/${task}/comm`, 'utf8').trim());
      expect(threads.filter((name) => name === 'WorkerThread').length).toBeGreaterThanOrEqual(1);
    }
    expect((await status()).every((r) => r.process === 'up')).toBe(true);
    expect(await raincoat('sandbox', 'stop', 'leaf-3-11')).toMatchObject({ code: 0, out: expect.stringMatching(/^leaf-3-11 is stopped/) });
    expect(await raincoat('sandbox', 'start', 'leaf-3-11')).toMatchObject({ code: 0, out: expect.stringMatching(/^leaf-3-11 is up/) });
    expect((await status()).every((r) => r.process === 'up')).toBe(true);
  });
});
