// `raincoat deploy` as a user runs it (the launcher, in a process of its own) against real agents: three roots with a
// leaf each, dry-run backend. A first deploy reaches every node; adding one tunnel re-applies on its two roots only; an
// invalid topology sends nothing; a node killed before a deploy is reported unreachable while the others still deploy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OverlayAccess } from '../../src-shared/overlay/overlayAccess.ts';
import type { NodeStatus } from '../../src-shared/protocol/messages.ts';
import { startCluster } from '../agent/agentCluster.ts';
import type { Cluster } from '../agent/agentCluster.ts';
import { answerOf } from '../agent/answerOf.ts';
import { testBundle } from '../agent/testBundle.ts';
import { onProcessEnd } from '../lab/exitCleanup.ts';
import { waitFor } from '../lab/wait.ts';

const LAUNCHER = path.join(import.meta.dirname, '..', '..', 'src-main', 'cli', 'launcher.cjs');
const PASSWORD = 'e2e deploy password';
const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'root-3', 'leaf-3-1'];
const roots = [1, 2, 3].map((id) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 }));
const CHAIN = { roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };
const TRIANGLE = { roots, tunnels: [...CHAIN.tunnels, { a: 1, b: 3 }] };

let cluster: Cluster;
let dir: string;
const at = (...parts: string[]) => path.join(dir, ...parts);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'raincoat-deploy-e2e-'));
  const unregister = onProcessEnd(() => rmSync(dir, { recursive: true, force: true }));
  afterAll(unregister);
  cluster = await startCluster({
    // Every node lists every node it may have as a neighbour in a topology below (with its address on 127.0.0.1).
    neighbours: new Map([
      ['root-1', ['root-2', 'root-3', 'leaf-1-1']],
      ['root-2', ['root-1', 'root-3', 'leaf-2-1']],
      ['root-3', ['root-1', 'root-2', 'leaf-3-1']],
      ['leaf-1-1', ['root-1']],
      ['leaf-2-1', ['root-2']],
      ['leaf-3-1', ['root-3']],
    ]),
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 300 },
  });
  const access: OverlayAccess = {
    version: 1,
    name: 'e2e',
    entry: 'root-1',
    controlCaPem: cluster.controlCa.certPem,
    nodes: Object.fromEntries(
      [...cluster.agents.values()].map((a) => [a.node, { url: a.url, certPem: readFileSync(path.join(a.dataDir, 'identity', 'cert.pem'), 'utf8'), backend: 'dry-run' as const }]),
    ),
  };
  writeFileSync(at('access.json'), JSON.stringify(access));
  for (const [name, topology] of Object.entries({ chain: CHAIN, triangle: TRIANGLE, invalid: { roots: [roots[0], roots[0]] } })) writeFileSync(at(`${name}.json`), JSON.stringify(topology));

  // The first login sets the administrator's password (the default one is taken once the other roots were heard).
  const login = await waitFor(
    async () => {
      const answer = await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: PASSWORD });
      return answer.status !== 503 && answer;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: 'root-1 to take the default password' },
  );
  const session = answerOf(login).session;
  await waitFor(async () => answerOf(await cluster.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'the first login' });
  answerOf(await cluster.app('root-1', session).logout());
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function deploy(topology: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LAUNCHER, 'deploy', at(`${topology}.json`), '--access', at('access.json'), '--state', at('state'), '--yes', '--timeout', '30'],
      { env: { ...process.env, RAINCOAT_PASSWORD: PASSWORD, RAINCOAT_SANDBOX_DIR: at('no-sandbox') }, timeout: 60_000 },
      (error, out, err) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err }),
    );
  });
}

const statuses = async (): Promise<Map<string, NodeStatus>> => {
  const { json } = await cluster.request('root-1', 'GET', '/v1/status');
  return new Map((json as { nodes: NodeStatus[] }).nodes.map((n) => [n.node, n]));
};
/** Every file of a node's dry-run folder with its content and when it was last written. */
function dryRunFiles(node: string): Map<string, string> {
  const root = path.join(cluster.agents.get(node)!.dataDir, 'dry-run');
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => {
    const file = path.join(e.parentPath, e.name);
    return [path.relative(root, file), `${statSync(file).mtimeMs} ${readFileSync(file, 'utf8').length}`];
  }));
}
const topologyOf = (out: string) => /^plan for topology (\S+):/m.exec(out)![1]!;
const deployLines = (node: string) => cluster.agents.get(node)!.output.filter((l) => l.includes('"event":"deploy"')).length;

describe('raincoat deploy against real agents', () => {
  let first: string;

  it('deploys to every node: a line per node, each reporting the new topology, exit 0', async () => {
    const { code, out, err } = await deploy('chain');
    expect(code, err).toBe(0);
    first = topologyOf(out);
    for (const node of NODES) expect(out).toContain(`\n${node}: applied\n`);
    expect(out).toContain(`\nconfirmed topology ${first} on every node\n`);
    expect(out).toMatch(/\nsummary: 6 of 6 nodes run topology \S+; 0 failed, 0 unreachable; confirmed\n$/);
    const s = await statuses();
    for (const node of NODES) expect(s.get(node)).toMatchObject({ state: 'alive', topologyId: first });
    expect([...dryRunFiles('root-2').keys()]).toContain('swanctl.conf');
    // The password is never printed; the session token never either (it is not known to the command's output at all).
    expect(out + err).not.toContain(PASSWORD);
  });

  it('adding one tunnel re-applies on its two roots and nowhere else', async () => {
    const before = new Map(NODES.map((n) => [n, dryRunFiles(n)]));
    const { code, out, err } = await deploy('triangle');
    expect(code, err).toBe(0);
    const second = topologyOf(out);
    expect(out).toMatch(/^plan for topology \S+: 6 nodes \(0 added, 2 changed, 4 unchanged, 0 removed\)$/m);
    expect(out).toContain('\n~ root-1 (dry-run): config.boot (changed), swanctl.conf (changed), vyos.set (changed)\n');
    expect(out).toContain('\nkeys to make:\n  tunnel-1-3: pre-shared key\n');
    const s = await statuses();
    for (const node of NODES) expect(s.get(node)).toMatchObject({ state: 'alive', topologyId: second });
    const reapplied = NODES.filter((n) => {
      const now = dryRunFiles(n);
      const was = before.get(n)!;
      return now.size !== was.size || [...now].some(([file, written]) => was.get(file) !== written);
    });
    expect(reapplied).toEqual(['root-1', 'root-3']);
  });

  it('refuses an invalid topology with validate\'s messages and exit 1, and sends nothing', async () => {
    const deploys = deployLines('root-1');
    const { code, out, err } = await deploy('invalid');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^roots\[1\]\.id: /m);
    expect(deployLines('root-1')).toBe(deploys);
  });

  it('reports a node killed before the deploy as unreachable, with its reason, and the others still deploy', async () => {
    await cluster.kill('leaf-3-1', true);
    const { code, out, err } = await deploy('chain');
    expect(code, err).toBe(1);
    const third = topologyOf(out);
    expect(out).toMatch(/\nleaf-3-1: unreachable: down \(last heartbeat \S+\)\n/);
    for (const node of NODES.filter((n) => n !== 'leaf-3-1')) expect(out).toContain(`\n${node}: applied\n`);
    expect(out).toContain('\nnot confirmed: leaf-3-1 could not be reached; every node goes back to what it ran before by itself');
    expect(out).toMatch(/\nsummary: 5 of 6 nodes run topology \S+; 0 failed, 1 unreachable; not confirmed\n$/);
    const s = await statuses();
    for (const node of NODES.filter((n) => n !== 'leaf-3-1')) expect(s.get(node)).toMatchObject({ state: 'alive', topologyId: third });
  });
});
