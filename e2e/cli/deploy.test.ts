// `raincoat deploy` as a user runs it (the launcher, in a process of its own) against real agents: three roots with a
// leaf each, dry-run backend. A first deploy reaches every node; adding one tunnel re-applies on its two roots only; an
// invalid topology sends nothing; a node killed before a deploy is reported unreachable while the others still deploy.
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PASSPHRASE, PASSWORD, startDeployCluster } from './deployCluster.testkit.ts';
import type { DeployCluster } from './deployCluster.testkit.ts';

const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'root-3', 'leaf-3-1'];
const roots = [1, 2, 3].map((id) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 }));
const CHAIN = { roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };
const TRIANGLE = { roots, tunnels: [...CHAIN.tunnels, { a: 1, b: 3 }] };

let overlay: DeployCluster;

beforeAll(async () => {
  // Every node lists every node it may have as a neighbour in a topology below (with its address on 127.0.0.1).
  overlay = await startDeployCluster(
    new Map([
      ['root-1', ['root-2', 'root-3', 'leaf-1-1']],
      ['root-2', ['root-1', 'root-3', 'leaf-2-1']],
      ['root-3', ['root-1', 'root-2', 'leaf-3-1']],
      ['leaf-1-1', ['root-1']],
      ['leaf-2-1', ['root-2']],
      ['leaf-3-1', ['root-3']],
    ]),
  );
  for (const [name, topology] of Object.entries({ chain: CHAIN, triangle: TRIANGLE, invalid: { roots: [roots[0], roots[0]] } })) writeFileSync(overlay.at(`${name}.json`), JSON.stringify(topology));
}, 60_000);

const deploy = (topology: string) => overlay.raincoat('deploy', overlay.at(`${topology}.json`), '--access', overlay.at('access.json'), '--state', overlay.at('state'), '--yes', '--timeout', '30');
const statuses = () => overlay.statuses();
const dryRunFiles = (node: string) => overlay.dryRunFiles(node);
const topologyOf = (out: string) => /^plan for topology (\S+):/m.exec(out)![1]!;
const deployLines = (node: string) => overlay.cluster.agents.get(node)!.output.filter((l) => l.includes('"event":"deploy"')).length;

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
    // The keys are kept sealed under the passphrase, which is never printed either.
    expect(out + err).not.toContain(PASSPHRASE);
    const [kept] = readdirSync(overlay.at('state', 'overlays'));
    expect(JSON.parse(readFileSync(overlay.at('state', 'overlays', kept!, 'raincoat-keys.json'), 'utf8'))).toMatchObject({ format: 'raincoat-sealed', purpose: 'overlay-keys' });
  });

  // Root 2 carried root 1's traffic to root 3 in the chain; the new tunnel takes it over, so root 2's selectors change too.
  it('adding one tunnel re-applies on its two roots and on the root it relieves of transit, and nowhere else', async () => {
    const before = new Map(NODES.map((n) => [n, dryRunFiles(n)]));
    const { code, out, err } = await deploy('triangle');
    expect(code, err).toBe(0);
    const second = topologyOf(out);
    expect(out).toMatch(/^plan for topology \S+: 6 nodes \(0 added, 3 changed, 3 unchanged, 0 removed\)$/m);
    // What the new tunnel carries, and the forwarding the firewall allows along it.
    expect(out).toContain('\n~ root-1 (dry-run): firewall.nft (changed), swanctl.conf (changed)\n');
    expect(out).toContain('\nkeys to make:\n  tunnel-1-3: pre-shared key\n');
    const s = await statuses();
    for (const node of NODES) expect(s.get(node)).toMatchObject({ state: 'alive', topologyId: second });
    const reapplied = NODES.filter((n) => {
      const now = dryRunFiles(n);
      const was = before.get(n)!;
      return now.size !== was.size || [...now].some(([file, written]) => was.get(file) !== written);
    });
    expect(reapplied).toEqual(['root-1', 'root-2', 'root-3']);
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
    await overlay.cluster.kill('leaf-3-1', true);
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
