import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCrl } from '../pki/crl.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { deployChain, keptAt, keptKeys } from './deployedOverlay.testkit.ts';
import { revokeInState } from './revokeInState.ts';

let stateDir: string;
beforeEach(async () => (stateDir = await mkdtemp(path.join(tmpdir(), 'raincoat-revoke-'))));
afterEach(() => rm(stateDir, { recursive: true, force: true }));

const kept = (): Promise<OverlayKeys> => keptKeys(stateDir);

describe('revoking a leaf in the overlay’s state', () => {
  it('makes the next deploy carry the CRL to its cloud only and give the leaf new certificates', async () => {
    await deployChain(stateDir);
    const before = (await kept()).leaves['leaf-1-1']!;
    expect(await revokeInState(keptAt(stateDir), { kind: 'leaf', name: 'leaf-1-1' }, () => Date.parse('2026-12-07T12:00:00Z'))).toEqual({ ok: true, result: { rootId: 1, revoked: 2 } });
    expect(await revokeInState(keptAt(stateDir), { kind: 'leaf', name: 'leaf-1-1' })).toEqual({ ok: true, result: { rootId: 1, revoked: 0 } });

    const plan = await deployChain(stateDir);
    expect(plan.keys).toEqual(['leaf-1-1: client-server and uplink certificates']);
    const changed = plan.nodes.filter((n) => n.change !== 'unchanged');
    expect(changed.map((n) => n.node)).toEqual(['root-1', 'leaf-1-1']);
    // Only the root's CRL changes (the sandbox's dry-run nodes take a linux node's files), also the copy in its uplink
    // server's jail, which a deploy renders as OpenVPN drops root; it is public, so its diff shows.
    expect(changed[0]!.files.map((f) => f.path)).toEqual(['jail/uplink-server/crl.pem', 'pki/crl.pem']);
    expect(changed[0]!.files.find((f) => f.path === 'pki/crl.pem')!.diff.length).toBeGreaterThan(0);
    const after = await kept();
    expect(readCrl(after.roots['1']!.openvpnCa.crlPem).revocations.map((r) => r.serial)).toEqual([before.clientServer.serial, before.uplinkClient.serial]);
    expect(after.leaves['leaf-1-1']!.clientServer.serial).not.toBe(before.clientServer.serial);
    expect(after.roots['2']!.openvpnCa.revokedSerials).toEqual([]);
  });

  it('refuses a leaf the deployed topology lacks, and a client the kept keys do not hold', async () => {
    await deployChain(stateDir);
    expect(await revokeInState(keptAt(stateDir), { kind: 'leaf', name: 'leaf-1-2' })).toEqual({ ok: false, reason: 'the deployed topology has no leaf-1-2' });
    expect(await revokeInState(keptAt(stateDir), { kind: 'client', name: 'client-1-1' })).toMatchObject({ ok: false, reason: expect.stringContaining("the overlay's kept keys have no client-1-1") });
  });
});
