import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOpeningKey } from '../../src-shared/crypto/seal.ts';
import { buildDeployPackage, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { createDryRunBackend } from '../backends/dryRun.ts';
import { memoryFileTree } from '../backends/fakes.testkit.ts';
import { createManualClock } from '../clock.ts';
import { startDeploy } from '../deploy/startDeploy.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import { deployedMaterial, NoMaterial } from './deployedMaterial.ts';
import { CERTIFICATE_PLACEHOLDER, ENROLLMENT_FILES } from '../../src-shared/protocol/enrollmentFiles.ts';

const ME = 'leaf-1-1';

async function identity() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const opening = await importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
  return { opening, spki: new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)) };
}
const openingKey = async () => (await identity()).opening;

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

describe('deployedMaterial on the deploy feature', () => {
  const ca = testCa('root-1 OpenVPN CA');
  const SESSION = { node: undefined, bearer: 'session-token-0123456789', address: '127.0.0.1' };

  it('reads the material of what runs, also after a deploy that failed on this node', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'raincoat-material-'));
    try {
      const [me, stranger] = await Promise.all([identity(), identity()]);
      const deploy = await startDeploy({
        self: 'root-1',
        selfRootId: 1,
        backend: createDryRunBackend({ tree: memoryFileTree() }),
        openingKey: me.opening,
        dataDir,
        client: {} as PeerClient,
        targetOf: () => undefined,
        neighbours: () => [],
        originate: () => undefined,
        clock: createManualClock(Date.UTC(2026, 0, 2)),
        maxPackageBytes: 1 << 20,
        log: () => undefined,
      });
      const rootPackage = (topologyId: string, sealedTo: Uint8Array, createdAt: number) =>
        buildDeployPackage({
          topologyId,
          createdAt: new Date(createdAt).toISOString(),
          entryRootId: 1,
          nodes: {
            'root-1': {
              backend: 'dry-run',
              files: { [ENROLLMENT_FILES.caCert]: ca.certPem, [`${ENROLLMENT_FILES.leafProfiles}leaf-1-1.ovpn`]: `client # ${topologyId}\n${CERTIFICATE_PLACEHOLDER}\n` },
              secrets: { [ENROLLMENT_FILES.caKey]: ca.keyPem },
            },
          },
          identityKeys: { 'root-1': sealedTo },
        });
      const material = deployedMaterial({ self: 'root-1', role: 'root', openingKey: me.opening, current: deploy.distribution.current, runningDigest: deploy.engine.runningDigest });

      await deploy.handlers.deploy.handle(SESSION, await rootPackage('t1', me.spki, Date.UTC(2026, 0, 2)));
      await deploy.settled();
      expect(await material()).toMatchObject({ role: 'root', leafProfiles: new Map([['leaf-1-1', expect.stringContaining('client # t1')]]) });

      await deploy.handlers.deploy.handle(SESSION, await rootPackage('t2', stranger.spki, Date.UTC(2026, 0, 2) + 1));
      await deploy.settled();
      expect(deploy.engine.status()).toMatchObject({ state: 'failed', topologyId: 't2', runningTopologyId: 't1' });
      expect(await material()).toMatchObject({ role: 'root', leafProfiles: new Map([['leaf-1-1', expect.stringContaining('client # t1')]]) });
      deploy.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
