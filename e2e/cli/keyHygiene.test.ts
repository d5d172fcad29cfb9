// Key hygiene against real agents, as a user runs it between deploys: three roots joined in a triangle, a leaf each,
// dry-run backend. rotate-psk 1 2, then deploy: the plan lists the new key and root-1 and root-2 changed (swanctl.conf,
// the key as [secret]); exactly those two re-apply, their swanctl.conf different. revoke leaf-2-1, then deploy: root-2
// and leaf-2-1 re-apply, with the new CRL, the leaf with new certificates.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startDeployCluster } from './deployCluster.testkit.ts';
import type { DeployCluster } from './deployCluster.testkit.ts';

const ROOTS = ['root-1', 'root-2', 'root-3'];
const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'root-3', 'leaf-3-1'];
const TRIANGLE = {
  roots: [1, 2, 3].map((id) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 })),
  tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 1, b: 3 }],
};

let overlay: DeployCluster;

beforeAll(async () => {
  // Each root has one leaf (50 clients): the leaves join the overlay, but no tunnel key ever reaches them.
  const leafOf = (root: string) => root.replace('root-', 'leaf-') + '-1';
  overlay = await startDeployCluster(
    new Map([...ROOTS.map((root): [string, string[]] => [root, [...ROOTS.filter((r) => r !== root), leafOf(root)]]), ...ROOTS.map((root): [string, string[]] => [leafOf(root), [root]])]),
  );
  writeFileSync(overlay.at('triangle.json'), JSON.stringify(TRIANGLE));
}, 60_000);

const options = () => ['--access', overlay.at('access.json'), '--state', overlay.at('state')];
const deploy = () => overlay.raincoat('deploy', overlay.at('triangle.json'), ...options(), '--yes', '--timeout', '30');
/** Each node's dry-run files, when each was written; and each root's tunnels' file (swanctl.conf, its keys in it) as written. */
const snapshot = () => ({
  written: new Map(NODES.map((node) => [node, overlay.dryRunFiles(node)])),
  swanctl: new Map(ROOTS.map((root) => [root, overlay.dryRunFile(root, 'swanctl.conf')])),
});

describe('raincoat rotate-psk and revoke against real agents', () => {
  it('refuses a tunnel before anything was deployed, and one the deployed topology lacks, saying why', async () => {
    expect(await overlay.raincoat('rotate-psk', '1', '2', ...options())).toMatchObject({ code: 1, out: '', err: expect.stringContaining('nothing was deployed to this overlay') });
    const first = await deploy();
    expect(first.code, first.out + first.err).toBe(0);
    expect(await overlay.raincoat('rotate-psk', '1', '4', ...options())).toMatchObject({
      code: 1,
      err: 'raincoat rotate-psk: e2e: the deployed topology has no tunnel between root-1 and root-4 (its tunnels: tunnel-1-2, tunnel-2-3, tunnel-1-3)\n',
    });
  });

  it('rotates tunnel 1–2 at the next deploy: exactly root-1 and root-2 re-apply, with a new key', async () => {
    const before = snapshot();
    const rotated = await overlay.raincoat('rotate-psk', 'root-1', '2', ...options());
    expect(rotated).toEqual({ code: 0, out: 'tunnel-1-2: its pre-shared key is marked for rotation; the next "raincoat deploy" makes a new one and carries it to root-1 and root-2 only\n', err: '' });

    const { code, out, err } = await deploy();
    expect(code, err).toBe(0);
    expect(out).toMatch(/^plan for topology \S+: 6 nodes \(0 added, 2 changed, 4 unchanged, 0 removed\)$/m);
    expect(out).toContain('\n    swanctl.conf: only its secrets change\n');
    expect(out).toContain('\n= root-3 (dry-run): unchanged\n');
    expect(out).toContain('\nkeys to make:\n  tunnel-1-2: pre-shared key\n');
    const after = snapshot();
    const reapplied = NODES.filter((node) => [...after.written.get(node)!].some(([file, written]) => before.written.get(node)!.get(file) !== written));
    expect(reapplied).toEqual(['root-1', 'root-2']);
    for (const root of ['root-1', 'root-2']) expect(after.swanctl.get(root)).not.toBe(before.swanctl.get(root));
    expect(after.swanctl.get('root-3')).toBe(before.swanctl.get('root-3'));
    // The keys themselves are never printed: not the old ones, not the new one.
    const keys = [...before.swanctl.values(), ...after.swanctl.values()].flatMap((text) => [...text.matchAll(/secret = "?([^"\s]+)/g)].map((m) => m[1]!));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(out + err).not.toContain(key);
  });

  it('revokes leaf-2-1 at the next deploy: root-2 and leaf-2-1 re-apply, with the new CRL, and the leaf with new certificates', async () => {
    const before = snapshot();
    const crl = (node: string) => overlay.dryRunFile(node, 'pki/crl.pem');
    const crlBefore = crl('root-2');
    const certBefore = overlay.dryRunFile('leaf-2-1', 'pki/client-server.crt');
    expect(await overlay.raincoat('revoke', 'leaf-2-1', ...options())).toMatchObject({ code: 0, out: expect.stringContaining("leaf-2-1: 2 certificates revoked by root-2's CA") });

    const { code, out, err } = await deploy();
    expect(code, err).toBe(0);
    expect(out).toMatch(/^plan for topology \S+: 6 nodes \(0 added, 2 changed, 4 unchanged, 0 removed\)$/m);
    expect(out).toContain('\nkeys to make:\n  leaf-2-1: client-server and uplink certificates\n');
    const after = snapshot();
    const reapplied = NODES.filter((node) => [...after.written.get(node)!].some(([file, written]) => before.written.get(node)!.get(file) !== written));
    expect(reapplied).toEqual(['root-2', 'leaf-2-1']);
    expect(crl('root-2')).not.toBe(crlBefore);
    expect(crl('leaf-2-1')).toBe(crl('root-2'));
    expect(crl('root-1')).not.toBe(crl('root-2'));
    expect(overlay.dryRunFile('leaf-2-1', 'pki/client-server.crt')).not.toBe(certBefore);
  });
});
