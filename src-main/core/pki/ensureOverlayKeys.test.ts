import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { readCrl } from './crl.ts';
import { ensureOverlayKeys } from './ensureOverlayKeys.ts';
import type { CertifiedKey, OverlayKeys } from './keyTypes.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, type Scratch } from '../../../src-node/x509/pki.testkit.ts';

function topology(roots: Array<[id: number, maxClients: number]>, tunnels: Array<[number, number]>): Topology {
  return {
    roots: roots.map(([id, maxClients]) => ({ id, name: `r${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients })),
    tunnels: tunnels.map(([a, b]) => ({ a, b })),
  };
}

const json = (value: unknown) => JSON.stringify(value);
/** A deep copy, as keys come back from a file. */
const reloaded = (keys: OverlayKeys): OverlayKeys => JSON.parse(json(keys));

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

/** Runs `openssl verify` of `cert` against `caPem` for `purpose`; true when it passes. */
function verifies(caPem: string, cert: CertifiedKey, purpose: 'sslserver' | 'sslclient', crlPem?: string): boolean {
  const ca = scratch.write('ca.crt', caPem);
  const crl = crlPem ? ['-crl_check', '-CRLfile', scratch.write('crl.pem', crlPem)] : [];
  return scratch.run('openssl', ['verify', '-purpose', purpose, ...crl, '-CAfile', ca, scratch.write('c.crt', cert.certPem)]).status === 0;
}

// Root 1: 150 clients, two leaves; root 2: 50 clients, one leaf.
const first = planAddresses(topology([[1, 150], [2, 50]], [[1, 2]]));
const base = await ensureOverlayKeys(first, undefined);

describe('a new overlay', () => {
  test('gets a control CA, per root a CA, server certificate and tls-crypt keys, per leaf two certificates, per tunnel a PSK', () => {
    expect(base.version).toBe(2);
    expect(base.keyType).toBe('ecdsa-p256');
    expect(Object.keys(base.roots)).toEqual(['1', '2']);
    expect(Object.keys(base.leaves)).toEqual(['leaf-1-1', 'leaf-1-2', 'leaf-2-1']);
    expect(Object.keys(base.tunnels)).toEqual(['tunnel-1-2']);
    expect(base.tunnels['tunnel-1-2']!.psk).toMatch(/^[A-Za-z0-9]{60}$/);
    // One client per leaf by default.
    expect(Object.keys(base.clients)).toEqual(['client-1-1', 'client-1-2', 'client-2-1']);
    expect(base.clients['client-2-1']!.rootId).toBe(2);
    expect(base.roots['1']!.uplinkTlsCrypt).toContain('-----BEGIN OpenVPN Static key V1-----');
    expect(base.roots['1']!.clientTlsCrypt).toContain('-----BEGIN OpenVPN Static key V1-----');
    expect(base.roots['1']!.clientTlsCryptV2).toContain('-----BEGIN OpenVPN tls-crypt-v2 server key-----');
    expect(base.clients['client-1-1']!.tlsCryptV2).toContain('-----BEGIN OpenVPN tls-crypt-v2 client key-----');
    expect(base.roots['1']!.openvpnCa.certPem).not.toBe(base.roots['2']!.openvpnCa.certPem);
  });

  test('no two purposes, roots or clients share a tls-crypt key', () => {
    const all = [
      ...Object.values(base.roots).flatMap((r) => [r.uplinkTlsCrypt, r.clientTlsCrypt, r.clientTlsCryptV2]),
      ...Object.values(base.clients).map((c) => c.tlsCryptV2),
    ];
    expect(all).toHaveLength(3 * 2 + 3);
    expect(new Set(all).size).toBe(all.length);
  });

  test('every certificate names its node and verifies against its CA for its purpose', (ctx) => {
    const names = (c: CertifiedKey) => [certificateFacts(c.certPem).subjectCn, certificateFacts(c.certPem).issuerCn];
    expect(names(base.controlCa)).toEqual(['Raincoat control CA', 'Raincoat control CA']);
    expect(names(base.roots['1']!.openvpnCa)).toEqual(['Raincoat OpenVPN CA root-1', 'Raincoat OpenVPN CA root-1']);
    expect(names(base.roots['1']!.uplinkServer)).toEqual(['root-1', 'Raincoat OpenVPN CA root-1']);
    expect(names(base.leaves['leaf-1-2']!.clientServer)).toEqual(['leaf-1-2', 'Raincoat OpenVPN CA root-1']);
    expect(names(base.leaves['leaf-1-2']!.uplinkClient)).toEqual(['leaf-1-2', 'Raincoat OpenVPN CA root-1']);
    expect(names(base.clients['client-2-1']!)).toEqual(['client-2-1', 'Raincoat OpenVPN CA root-2']);

    skipIf(ctx, opensslMissing);
    const caOf = (rootId: string) => base.roots[rootId]!.openvpnCa;
    expect(verifies(base.controlCa.certPem, base.controlCa, 'sslserver')).toBe(false);
    for (const [rootId, root] of Object.entries(base.roots)) {
      expect(verifies(root.openvpnCa.certPem, root.openvpnCa, 'sslclient')).toBe(false);
      expect(verifies(root.openvpnCa.certPem, root.uplinkServer, 'sslserver')).toBe(true);
      expect(verifies(caOf(rootId === '1' ? '2' : '1').certPem, root.uplinkServer, 'sslserver')).toBe(false);
    }
    for (const [name, leaf] of Object.entries(base.leaves)) {
      const ca = caOf(name.split('-')[1]!);
      expect(verifies(ca.certPem, leaf.clientServer, 'sslserver')).toBe(true);
      expect(verifies(ca.certPem, leaf.uplinkClient, 'sslclient')).toBe(true);
      expect(verifies(ca.certPem, leaf.uplinkClient, 'sslserver')).toBe(false);
    }
    for (const client of Object.values(base.clients)) {
      expect(verifies(caOf(String(client.rootId)).certPem, client, 'sslclient')).toBe(true);
    }
  });
});

describe('an overlay that exists', () => {
  test('an unchanged plan changes nothing, byte for byte', async () => {
    const again = await ensureOverlayKeys(first, reloaded(base));
    expect(json(again)).toBe(json(base));
  });

  test('growth adds only what is new and keeps everything else byte for byte', async () => {
    // Root 1 grows to three leaves, root 3 and tunnel 2-3 arrive, four clients per root.
    const grown = planAddresses(topology([[1, 250], [2, 50], [3, 10]], [[1, 2], [2, 3]]));
    const keys = await ensureOverlayKeys(grown, reloaded(base), { clientsPerRoot: 4 });
    expect(json(keys.controlCa)).toBe(json(base.controlCa));
    for (const id of ['1', '2']) expect(json(keys.roots[id])).toBe(json(base.roots[id]));
    for (const name of Object.keys(base.leaves)) expect(json(keys.leaves[name])).toBe(json(base.leaves[name]));
    for (const name of Object.keys(base.clients)) expect(json(keys.clients[name])).toBe(json(base.clients[name]));
    expect(json(keys.tunnels['tunnel-1-2'])).toBe(json(base.tunnels['tunnel-1-2']));

    expect(Object.keys(keys.roots)).toEqual(['1', '2', '3']);
    expect(Object.keys(keys.leaves)).toEqual(['leaf-1-1', 'leaf-1-2', 'leaf-1-3', 'leaf-2-1', 'leaf-3-1']);
    expect(Object.keys(keys.tunnels)).toEqual(['tunnel-1-2', 'tunnel-2-3']);
    expect(Object.keys(keys.clients)).toHaveLength(12);
    expect(certificateFacts(keys.leaves['leaf-1-3']!.clientServer.certPem).issuerCn).toBe('Raincoat OpenVPN CA root-1');
    expect(certificateFacts(keys.clients['client-3-4']!.certPem).issuerCn).toBe('Raincoat OpenVPN CA root-3');
  });

  test('what leaves the plan is dropped and, where its CA stays, revoked', async (ctx) => {
    // Root 1 shrinks to one leaf (leaf-1-2 goes), one client per root (client-1-2 goes); root 2 and its tunnel go.
    const shrunk = planAddresses(topology([[1, 50]], []));
    const keys = await ensureOverlayKeys(shrunk, reloaded(base), { clientsPerRoot: 1 });
    expect(Object.keys(keys.roots)).toEqual(['1']);
    expect(Object.keys(keys.leaves)).toEqual(['leaf-1-1']);
    expect(Object.keys(keys.clients)).toEqual(['client-1-1']);
    expect(keys.tunnels).toEqual({});
    expect(json(keys.leaves['leaf-1-1'])).toBe(json(base.leaves['leaf-1-1']));
    expect(json(keys.clients['client-1-1'])).toBe(json(base.clients['client-1-1']));

    const ca = keys.roots['1']!.openvpnCa;
    const before = base.roots['1']!.openvpnCa;
    expect([ca.certPem, ca.keyPem, ca.serial]).toEqual([before.certPem, before.keyPem, before.serial]);
    expect(json(keys.roots['1']!.uplinkServer)).toBe(json(base.roots['1']!.uplinkServer));
    const gone = [base.leaves['leaf-1-2']!.clientServer, base.leaves['leaf-1-2']!.uplinkClient, base.clients['client-1-2']!];
    expect([...ca.revokedSerials].sort()).toEqual(gone.map((c) => c.serial).sort());
    expect(readCrl(ca.crlPem).revocations.map((r) => r.serial).sort()).toEqual(gone.map((c) => c.serial).sort());

    skipIf(ctx, opensslMissing);
    const crl = scratch.run('openssl', ['crl', '-in', scratch.write('crl.pem', ca.crlPem), '-CAfile', scratch.write('ca.crt', ca.certPem), '-verify', '-noout', '-text']);
    expect(crl.stderr).toContain('verify OK');
    for (const c of gone) expect(crl.stdout).toContain(`Serial Number: ${c.serial.toUpperCase()}`);
    expect(verifies(ca.certPem, base.leaves['leaf-1-2']!.uplinkClient, 'sslclient', ca.crlPem)).toBe(false);
    expect(verifies(ca.certPem, keys.leaves['leaf-1-1']!.uplinkClient, 'sslclient', ca.crlPem)).toBe(true);
  });

  test('a later run keeps the revocations', async () => {
    const shrunk = planAddresses(topology([[1, 50]], []));
    const once = await ensureOverlayKeys(shrunk, reloaded(base), { clientsPerRoot: 1 });
    expect(json(await ensureOverlayKeys(shrunk, reloaded(once), { clientsPerRoot: 1 }))).toBe(json(once));
  });

  test('a leaf whose root lost its keys is made anew under the new CA, not reused', async () => {
    const broken = reloaded(base);
    delete broken.roots['2'];
    const keys = await ensureOverlayKeys(first, broken);
    expect(keys.roots['2']!.openvpnCa.certPem).not.toBe(base.roots['2']!.openvpnCa.certPem);
    expect(keys.leaves['leaf-2-1']!.uplinkClient.serial).not.toBe(base.leaves['leaf-2-1']!.uplinkClient.serial);
    expect(keys.clients['client-2-1']!.serial).not.toBe(base.clients['client-2-1']!.serial);
    expect(json(keys.roots['1'])).toBe(json(base.roots['1']));
  });

  test('its key type cannot be switched', async () => {
    await expect(ensureOverlayKeys(first, base, { keyType: 'rsa-2048' })).rejects.toThrow(/ecdsa-p256/);
    expect((await ensureOverlayKeys(first, base, { keyType: 'ecdsa-p256' })).keyType).toBe('ecdsa-p256');
  });
});

test('clients per root can depend on the root, and many go through the worker threads', async (ctx) => {
  const plan = planAddresses(topology([[4, 100], [5, 100]], [[4, 5]]));
  const keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: (root) => (root.rootId === 4 ? 300 : 2), bulk: { inlineBelow: 100 } });
  expect(Object.values(keys.clients).filter((c) => c.rootId === 4)).toHaveLength(300);
  expect(Object.keys(keys.clients).filter((name) => name.startsWith('client-5-'))).toEqual(['client-5-1', 'client-5-2']);
  expect(certificateFacts(keys.clients['client-4-300']!.certPem).subjectCn).toBe('client-4-300');
  skipIf(ctx, opensslMissing);
  expect(verifies(keys.roots['4']!.openvpnCa.certPem, keys.clients['client-4-300']!, 'sslclient')).toBe(true);
});

test('RSA-2048 overlays get RSA keys throughout', async (ctx) => {
  const keys = await ensureOverlayKeys(planAddresses(topology([[7, 10]], [])), undefined, { keyType: 'rsa-2048' });
  expect(keys.keyType).toBe('rsa-2048');
  for (const c of [keys.controlCa, keys.roots['7']!.openvpnCa, keys.roots['7']!.uplinkServer, keys.leaves['leaf-7-1']!.uplinkClient, keys.clients['client-7-1']!]) {
    expect(certificateFacts(c.certPem).signatureOid).toBe('1.2.840.113549.1.1.11');
  }
  expect(certificateFacts(keys.clients['client-7-1']!.certPem).keyUsage?.usages).toEqual(['digitalSignature', 'keyEncipherment']);
  skipIf(ctx, opensslMissing);
  expect(verifies(keys.roots['7']!.openvpnCa.certPem, keys.leaves['leaf-7-1']!.clientServer, 'sslserver')).toBe(true);
});
