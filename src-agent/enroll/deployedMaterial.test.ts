import { describe, expect, it } from 'vitest';
import { importOpeningKey } from '../../src-shared/crypto/seal.ts';
import { buildDeployPackage, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { deployedMaterial, NoMaterial } from './deployedMaterial.ts';
import { CERTIFICATE_PLACEHOLDER } from './enrollmentMaterial.ts';

const ME = 'leaf-1-1';

async function openingKey() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
}

const leafPackage = (profile: string) =>
  buildDeployPackage({
    topologyId: 't1',
    createdAt: new Date(Date.UTC(2026, 0, 2)).toISOString(),
    entryRootId: 1,
    nodes: { [ME]: { backend: 'dry-run', files: { 'enrollment/client.ovpn': `${profile}\n<cert>\n${CERTIFICATE_PLACEHOLDER}\n</cert>\n` } } },
    identityKeys: {},
  });

describe('deployedMaterial', () => {
  it('reads the material of the package in effect, and only of that very package', async () => {
    const running = await leafPackage('client # running');
    const sameIdOtherDigest = await leafPackage('client # refused by the engine');
    let stored: DeployPackage = running;
    const material = deployedMaterial({ self: ME, role: 'leaf', openingKey: await openingKey(), current: () => stored, runningDigest: () => running.digest });

    expect(await material()).toMatchObject({ role: 'leaf', profile: expect.stringContaining('client # running') });
    stored = sameIdOtherDigest;
    await expect(material()).rejects.toThrow(NoMaterial);
    await expect(material()).rejects.toThrow('no deployed topology is in effect on this node yet');
  });

  it('has none before a package is in effect', async () => {
    const pkg = await leafPackage('client');
    const material = deployedMaterial({ self: ME, role: 'leaf', openingKey: await openingKey(), current: () => pkg, runningDigest: () => undefined });
    await expect(material()).rejects.toThrow(NoMaterial);
  });
});
