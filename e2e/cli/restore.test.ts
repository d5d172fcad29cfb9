// `raincoat restore` as a user runs it against real agents (three roots with a leaf each, dry-run backend): deployed
// from one state folder, the overlay's state is restored into an empty one (a new workstation) with the same deployed
// topology and keys, at the entry root or any other; a deploy of the same topology from there changes no node; a
// wrong passphrase is refused and writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keptOverlayKeys } from '../../src-main/core/pki/overlayKeysFile.ts';
import { createUnlocker } from '../../src-main/core/secrets/unlocker.ts';
import { parseState } from '../../src-main/core/topologyStore/storedState.ts';
import { waitFor } from '../lab/wait.ts';
import { PASSPHRASE, startDeployCluster } from './deployCluster.testkit.ts';
import type { DeployCluster } from './deployCluster.testkit.ts';

const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'root-3', 'leaf-3-1'];
const roots = [1, 2, 3].map((id) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 }));
const CHAIN = { roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };

let overlay: DeployCluster;

beforeAll(async () => {
  overlay = await startDeployCluster(
    new Map([
      ['root-1', ['root-2', 'leaf-1-1']],
      ['root-2', ['root-1', 'root-3', 'leaf-2-1']],
      ['root-3', ['root-2', 'leaf-3-1']],
      ['leaf-1-1', ['root-1']],
      ['leaf-2-1', ['root-2']],
      ['leaf-3-1', ['root-3']],
    ]),
  );
  writeFileSync(overlay.at('chain.json'), JSON.stringify(CHAIN));
}, 60_000);

const access = () => overlay.at('access.json');
const deploy = (state: string) => overlay.raincoat('deploy', overlay.at('chain.json'), '--access', access(), '--state', overlay.at(state), '--yes', '--timeout', '30');
const restore = (state: string, ...more: string[]) => overlay.raincoat('restore', '--access', access(), '--state', overlay.at(state), ...more);
/** The overlay's folder in a state folder (there is one overlay). */
const overlayDir = (state: string) => overlay.at(state, 'overlays', readdirSync(overlay.at(state, 'overlays'))[0]!);
const deployed = (state: string) => JSON.parse(readFileSync(path.join(overlayDir(state), 'deployed.json'), 'utf8')) as { topologyId: string };
/** The keys of a state folder, opened with the passphrase as a command would. */
const keys = (state: string) =>
  keptOverlayKeys(
    path.join(overlayDir(state), 'raincoat-keys.json'),
    createUnlocker({ notice: () => undefined, passphrase: async () => ({ ok: true, passphrase: PASSPHRASE, from: 'of the test' }) }),
  ).open();
const topologyOf = (out: string) => /^plan for topology (\S+):/m.exec(out)![1]!;

describe('raincoat restore against real agents', () => {
  let first: string;

  it('restores into an empty state folder the deployed topology and the keys deployed from another', async () => {
    const deployedFromA = await deploy('a');
    expect(deployedFromA.code, deployedFromA.err).toBe(0);
    first = topologyOf(deployedFromA.out);

    const { code, out, err } = await restore('b');
    expect(code, err).toBe(0);
    expect(out).toContain(`root-1 keeps topology ${first}, deployed at `);
    expect(out).toMatch(/\nrestored .*: the keys \(sealed\), what 6 nodes run, and the pending topology \(3 roots, the deployed one\)\n$/);
    expect(out + err).not.toContain(PASSPHRASE);
    expect(deployed('b')).toEqual(deployed('a'));
    expect(await keys('b')).toEqual(await keys('a'));
    expect(parseState(readFileSync(path.join(overlayDir('b'), 'pending-topology.json'), 'utf8'))).toEqual({ ok: true, state: { pending: CHAIN, deployed: CHAIN } });
  });

  it('from the restored folder, a deploy of the same topology changes no node', async () => {
    const before = new Map(NODES.map((n) => [n, overlay.dryRunFiles(n)]));
    const { code, out, err } = await deploy('b');
    expect(code, err).toBe(0);
    expect(out).toMatch(/^plan for topology \S+: 6 nodes \(0 added, 0 changed, 6 unchanged, 0 removed\)$/m);
    expect(out).toContain('\nkeys to make: none\n');
    for (const node of NODES) expect(overlay.dryRunFiles(node), node).toEqual(before.get(node));
  });

  it('restores from any root, which got the state through the others', async () => {
    const latest = deployed('b').topologyId;
    const kept = path.join(overlay.cluster.agents.get('root-3')!.dataDir, 'admin-state.json');
    await waitFor(() => existsSync(kept) && readFileSync(kept, 'utf8').includes(latest), { timeoutMs: 10_000, what: `root-3 to keep ${latest}` });
    const { code, out, err } = await restore('c', '--entry', 'root-3');
    expect(code, err).toBe(0);
    expect(out).toContain(`root-3 keeps topology ${latest}, deployed at `);
    expect(deployed('c')).toEqual(deployed('b'));
  });

  it('refuses a wrong passphrase, writing nothing', async () => {
    const { code, out, err } = await overlay.raincoatWith({ RAINCOAT_PASSPHRASE: 'not the passphrase of these keys' }, 'restore', '--access', access(), '--state', overlay.at('d'));
    expect(code).toBe(1);
    expect(err).toContain('raincoat restore: wrong passphrase (the one from RAINCOAT_PASSPHRASE): it does not open these secrets; nothing was changed\n');
    expect(out).not.toContain('restored');
    expect(existsSync(overlay.at('d'))).toBe(false);
  });

  it('leaves the first workstation’s folder, which deployed an older topology, as it is, saying so', async () => {
    const { code, err } = await restore('a');
    expect(code).toBe(1);
    expect(err).toContain(`raincoat restore: this machine last deployed topology ${first} (at `);
    expect(deployed('a').topologyId).toBe(first);
  });
});
