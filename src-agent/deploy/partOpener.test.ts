import { describe, expect, it } from 'vitest';
import { importOpeningKey, importSealingKey, sealSecret } from '../../src-shared/crypto/seal.ts';
import { secretContext, type NodePart } from '../../src-shared/protocol/deployPackage.ts';
import { partDigester } from './partDigest.ts';
import { partOpener } from './partOpener.ts';
import { resolvePart } from './resolvePart.ts';

async function keys() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    sealing: await importSealingKey(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))),
    opening: await importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))),
  };
}

async function sealedPart(psk: string, sealedIn: string, sealing: Awaited<ReturnType<typeof keys>>['sealing']): Promise<NodePart> {
  return { backend: 'dry-run', files: { 'a.conf': 'psk={{secret:psk}}' }, sealedSecrets: { psk: await sealSecret(psk, sealing, secretContext(sealedIn, 'root-1', 'psk')) }, sealedIn };
}

describe('partOpener', () => {
  it('opens a part carried on unchanged once, and any other part afresh', async () => {
    const { sealing, opening } = await keys();
    const opened: string[] = [];
    const open = partOpener('root-1', 'dry-run', opening, partDigester(opening), (topologyId, node, part, key) => {
      opened.push(topologyId);
      return resolvePart(topologyId, node, part, key);
    });
    const carried = await sealedPart('p1', 't1', sealing);
    const first = await open('t1', carried);
    expect(first.part.files['a.conf']).toEqual({ content: 'psk=p1', mode: 0o600 });
    // The same bytes in the next deploy's package: not opened again.
    expect(await open('t2', structuredClone(carried))).toEqual(first);
    expect(opened).toEqual(['t1']);
    // The same secret sealed afresh: other bytes, opened, with the same digest of what it puts in effect.
    const resealed = await sealedPart('p1', 't3', sealing);
    expect((await open('t3', resealed)).digest).toBe(first.digest);
    expect((await open('t4', await sealedPart('p2', 't4', sealing))).digest).not.toBe(first.digest);
    expect(opened).toEqual(['t1', 't3', 't4']);
  });

  it('tries a part that did not open again', async () => {
    const { sealing, opening } = await keys();
    let calls = 0;
    const open = partOpener('root-1', 'dry-run', opening, partDigester(opening), (topologyId, node, part, key) => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('busy')) : resolvePart(topologyId, node, part, key);
    });
    const part = await sealedPart('p1', 't1', sealing);
    await expect(open('t1', part)).rejects.toThrow('busy');
    expect((await open('t1', part)).secretValues).toEqual(['p1']);
    expect(calls).toBe(2);
  });
});
