import { beforeAll, describe, expect, it } from 'vitest';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { readCrl } from '../pki/crl.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { parseRevocable, revokeInKeys } from './revokeCertificate.ts';

describe('what revoke may be given', () => {
  it.each([
    ['leaf-1-2', { kind: 'leaf', name: 'leaf-1-2' }],
    ['client-3-14', { kind: 'client', name: 'client-3-14' }],
    ['root-2', { kind: 'root', name: 'root-2' }],
    ['client-0-1', undefined],
    ['client-1', undefined],
    ['leaf-1', undefined],
    ['2', undefined],
    ['tunnel-1-2', undefined],
  ])('%s is %j', (text, revocable) => expect(parseRevocable(text)).toEqual(revocable));
});

describe('revoking in the kept keys', () => {
  const NOW = new Date('2026-12-07T12:00:00Z');
  const LEAVES = ['leaf-1-1', 'leaf-2-1'];
  let keys: OverlayKeys;
  beforeAll(async () => {
    const plan = planAddresses({ roots: [1, 2].map((id) => makeRoot(id, { maxClients: 50 })), tunnels: [{ a: 1, b: 2 }] });
    keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 1 });
  });
  const crlSerials = (k: OverlayKeys, rootId: number) => readCrl(k.roots[String(rootId)]!.openvpnCa.crlPem).revocations.map((r) => r.serial);

  it('puts both certificates of a leaf on its root’s CRL and drops them, so the next deploy issues new ones', () => {
    const leaf = keys.leaves['leaf-2-1']!;
    const outcome = revokeInKeys(keys, LEAVES, { kind: 'leaf', name: 'leaf-2-1' }, NOW);
    expect(outcome).toMatchObject({ ok: true, rootId: 2, revoked: 2 });
    if (!outcome.ok) return;
    expect(Object.keys(outcome.keys.leaves)).toEqual(['leaf-1-1']);
    expect(outcome.keys.roots['2']!.openvpnCa.revokedSerials).toEqual([leaf.clientServer.serial, leaf.uplinkClient.serial]);
    expect(crlSerials(outcome.keys, 2)).toEqual([leaf.clientServer.serial, leaf.uplinkClient.serial]);
    // The other cloud, its CA and every other key stay as they were; the keys given are not changed.
    expect(outcome.keys.roots['1']).toBe(keys.roots['1']);
    expect(outcome.keys.tunnels).toBe(keys.tunnels);
    expect(keys.leaves['leaf-2-1']).toBe(leaf);
    expect(crlSerials(keys, 2)).toEqual([]);

    expect(revokeInKeys(outcome.keys, LEAVES, { kind: 'leaf', name: 'leaf-2-1' }, NOW)).toEqual({ ok: true, keys: outcome.keys, rootId: 2, revoked: 0 });
  });

  it('puts a client’s certificate on its root’s CRL and drops it', () => {
    const client = keys.clients['client-1-1']!;
    const outcome = revokeInKeys(keys, LEAVES, { kind: 'client', name: 'client-1-1' }, NOW);
    expect(outcome).toMatchObject({ ok: true, rootId: 1, revoked: 1 });
    if (!outcome.ok) return;
    expect(Object.keys(outcome.keys.clients)).toEqual(['client-2-1']);
    expect(crlSerials(outcome.keys, 1)).toEqual([client.serial]);
  });

  it.each([
    [{ kind: 'root', name: 'root-1' } as const, "root-1 is a root: its certificates are its cloud's own, and revoke takes a leaf or a client"],
    [{ kind: 'leaf', name: 'leaf-1-2' } as const, 'the deployed topology has no leaf-1-2'],
    [{ kind: 'client', name: 'client-1-9' } as const, "the overlay's kept keys have no client-1-9: a client the agents enrolled, or one revoked already, is not kept here"],
  ])('refuses %j: %s', (what, reason) => {
    expect(revokeInKeys(keys, LEAVES, what, NOW)).toEqual({ ok: false, reason });
  });

  it('refuses a client whose root has no CA in the keys', () => {
    const { '1': _gone, ...roots } = keys.roots;
    expect(revokeInKeys({ ...keys, roots }, LEAVES, { kind: 'client', name: 'client-1-1' }, NOW)).toEqual({
      ok: false,
      reason: "the overlay's kept keys have no OpenVPN CA for root-1, which signed it",
    });
  });
});
