import { describe, expect, it } from 'vitest';
import type { OverlayKeys } from '../../core/pki/keyTypes.ts';
import { keptKeysFixture } from './keptKeysCommand.testkit.ts';
import { createRevokeCommand } from './revoke.ts';

const fixture = keptKeysFixture(createRevokeCommand);
const withOverlay = (...args: string[]) => fixture.run(...args, ...fixture.withOverlay());
const kept = (): Promise<OverlayKeys> => fixture.keys();

describe('raincoat revoke', () => {
  it.each([
    [[], 'expected a leaf or a client to revoke'],
    [['leaf-1-1', 'leaf-2-1'], 'expected at most 1 argument, got 2'],
    [['1'], '"1" is neither a leaf (leaf-1-2) nor a client (client-1-3)'],
  ])('refuses %j with a usage problem: %s', async (args, message) => {
    expect(await withOverlay(...args)).toMatchObject({ code: 2, out: '', err: expect.stringContaining(message) });
  });

  it.each([
    ['root-1', "raincoat revoke: test: root-1 is a root: its certificates are its cloud's own, and revoke takes a leaf or a client"],
    ['leaf-1-2', 'raincoat revoke: test: the deployed topology has no leaf-1-2'],
    ['client-1-1', "raincoat revoke: test: the overlay's kept keys have no client-1-1: a client the agents enrolled, or one revoked already, is not kept here"],
  ])('refuses %s with the reason, and revokes nothing', async (name, err) => {
    expect(await withOverlay(name)).toEqual({ code: 1, out: '', err });
    expect(Object.values((await kept()).roots).flatMap((r) => r.openvpnCa.revokedSerials)).toEqual([]);
    expect(fixture.recorded()).toEqual([]);
  });

  it('revokes a leaf’s two certificates, says what the next deploy does, and says so again when they already were', async () => {
    const leaf = (await kept()).leaves['leaf-2-1']!;
    expect(await withOverlay('leaf-2-1')).toEqual({
      code: 0,
      out: 'leaf-2-1: 2 certificates revoked by root-2\'s CA; the next "raincoat deploy" carries its CRL to root-2 and its leaves and gives leaf-2-1 new certificates',
      err: '',
    });
    const after = await kept();
    expect(after.roots['2']!.openvpnCa.revokedSerials).toEqual([leaf.clientServer.serial, leaf.uplinkClient.serial]);
    expect(after.leaves['leaf-2-1']).toBeUndefined();
    expect((await withOverlay('leaf-2-1')).out).toBe('leaf-2-1: its certificates were already revoked; the next "raincoat deploy" carries root-2\'s CRL and gives leaf-2-1 new certificates');
    // Each recorded in the overlay's audit trail, in the command's session.
    expect(fixture.recorded()).toEqual([
      { kind: 'certificate-revoked', subject: 'leaf-2-1', rootId: 2, revoked: 2 },
      { kind: 'certificate-revoked', subject: 'leaf-2-1', rootId: 2, revoked: 0 },
    ]);
  });
});
