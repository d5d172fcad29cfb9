import { describe, expect, test } from 'vitest';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { RENEW_WITHIN_DAYS, expiresWithin, notAfter, renewedCertificates } from './certificateRenewal.ts';
import { readCrl } from './crl.ts';
import { ensureOverlayKeys } from './ensureOverlayKeys.ts';
import { issueCertificate } from './issueCertificate.ts';
import type { OverlayKeys } from './keyTypes.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const json = (value: unknown) => JSON.stringify(value);
const reloaded = (keys: OverlayKeys): OverlayKeys => JSON.parse(json(keys));

// Root 1 with two leaves, root 2 with one; one client per leaf; every certificate valid for 100 days from T0.
const plan = planAddresses({ roots: [makeRoot(1, { maxClients: 150 }), makeRoot(2, { maxClients: 50 })], tunnels: [{ a: 1, b: 2 }] });
const base = await ensureOverlayKeys(plan, undefined, { lifetimeDays: 100, now: T0 });

describe('expiresWithin', () => {
  const cert = base.clients['client-1-1']!.certPem;
  test.each([
    [0, 30, false],
    [69, 30, false],
    [70, 30, true],
    [99, 30, true],
    [120, 30, true],
    [50, 49, false],
    [50, 50, true],
  ])('a 100-day certificate on day %i, within %i days: %s', (day, days, expected) => {
    expect(expiresWithin(cert, at(day), days)).toBe(expected);
  });

  test('reads the end of validity from the certificate', () => {
    expect(notAfter(cert).getTime()).toBe(at(100).getTime());
  });
});

describe('renewal by ensureOverlayKeys', () => {
  test(`more than ${RENEW_WITHIN_DAYS} days left: nothing is renewed, byte for byte`, async () => {
    const keys = await ensureOverlayKeys(plan, reloaded(base), { now: at(69) });
    expect(json(keys)).toBe(json(base));
    expect(renewedCertificates(base, keys)).toEqual([]);
  });

  test('within 30 days: every server and client certificate is issued anew under the same CA, and everything else stays', async () => {
    const keys = await ensureOverlayKeys(plan, reloaded(base), { now: at(75) });
    for (const [id, root] of Object.entries(keys.roots)) {
      const before = base.roots[id]!;
      expect(json(root.openvpnCa)).toBe(json(before.openvpnCa));
      expect([root.uplinkTlsCrypt, root.clientTlsCrypt, root.clientTlsCryptV2]).toEqual([before.uplinkTlsCrypt, before.clientTlsCrypt, before.clientTlsCryptV2]);
      expect(root.uplinkServer.serial).not.toBe(before.uplinkServer.serial);
      // Nothing revoked: the old certificates expire within the month by themselves, and a node still running on one is not cut off.
      expect(readCrl(root.openvpnCa.crlPem).revocations).toEqual([]);
    }
    expect(json(keys.controlCa)).toBe(json(base.controlCa));
    expect(keys.tunnels).toEqual(base.tunnels);
    for (const [name, client] of Object.entries(keys.clients)) {
      expect(client.serial).not.toBe(base.clients[name]!.serial);
      expect(client.tlsCryptV2).toBe(base.clients[name]!.tlsCryptV2);
      expect(client.rootId).toBe(base.clients[name]!.rootId);
      expect(expiresWithin(client.certPem, at(75), RENEW_WITHIN_DAYS)).toBe(false);
    }
    const renewed = renewedCertificates(base, keys);
    expect(renewed.map((r) => `${r.holder} ${r.role}`)).toEqual([
      'root-1 uplink server',
      'root-2 uplink server',
      'leaf-1-1 client server',
      'leaf-1-1 uplink client',
      'leaf-1-2 client server',
      'leaf-1-2 uplink client',
      'leaf-2-1 client server',
      'leaf-2-1 uplink client',
      'client-1-1 client',
      'client-1-2 client',
      'client-2-1 client',
    ]);
    expect(renewed.every((r) => r.replacedNotAfter.getTime() === at(100).getTime())).toBe(true);
  });

  test('only what expires is renewed: one leaf certificate, its other certificate and every other holder kept as they are', async () => {
    const previous = reloaded(base);
    const shortLived = issueCertificate(previous.roots['1']!.openvpnCa, 'leaf-1-2', 'client', { lifetimeDays: 40, now: at(10) });
    previous.leaves['leaf-1-2'] = { ...previous.leaves['leaf-1-2']!, uplinkClient: shortLived };
    const keys = await ensureOverlayKeys(plan, previous, { now: at(30) });
    expect(renewedCertificates(previous, keys)).toEqual([{ holder: 'leaf-1-2', role: 'uplink client', replacedNotAfter: at(50) }]);
    expect(json(keys.leaves['leaf-1-2']!.clientServer)).toBe(json(base.leaves['leaf-1-2']!.clientServer));
    expect(json({ ...keys, leaves: { ...keys.leaves, 'leaf-1-2': undefined } })).toBe(json({ ...previous, leaves: { ...previous.leaves, 'leaf-1-2': undefined } }));
  });

  test('a leaf that leaves the plan is still revoked when its root renews its own certificate in the same run', async () => {
    const shrunk = planAddresses({ roots: [makeRoot(1, { maxClients: 50 }), makeRoot(2, { maxClients: 50 })], tunnels: [{ a: 1, b: 2 }] });
    const keys = await ensureOverlayKeys(shrunk, reloaded(base), { now: at(75), clientsPerRoot: 1 });
    expect(keys.roots['1']!.uplinkServer.serial).not.toBe(base.roots['1']!.uplinkServer.serial);
    const gone = [base.leaves['leaf-1-2']!.clientServer, base.leaves['leaf-1-2']!.uplinkClient, base.clients['client-1-2']!].map((c) => c.serial);
    expect([...keys.roots['1']!.openvpnCa.revokedSerials].sort()).toEqual(gone.sort());
  });

  test('a new overlay, or a root under a new CA, is no renewal', async () => {
    expect(renewedCertificates(undefined, base)).toEqual([]);
    const broken = reloaded(base);
    delete broken.roots['2'];
    const keys = await ensureOverlayKeys(plan, broken, { now: at(1) });
    expect(renewedCertificates(broken, keys)).toEqual([]);
  });
});
