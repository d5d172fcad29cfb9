import { describe, expect, it } from 'vitest';
import { importOpeningKey, importSealingKey, sealSecret } from '../../src-shared/crypto/seal.ts';
import { secretContext, type NodePart } from '../../src-shared/protocol/deployPackage.ts';
import { redactSecrets, resolvePart } from './resolvePart.ts';

async function keys() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    sealing: await importSealingKey(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))),
    opening: await importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))),
  };
}

async function part(secrets: Record<string, string | Uint8Array>, rest: Partial<NodePart>, sealing: Awaited<ReturnType<typeof keys>>['sealing'], sealedFor = 't1') {
  const sealedSecrets: NodePart['sealedSecrets'] = {};
  for (const [path, value] of Object.entries(secrets)) sealedSecrets[path] = await sealSecret(value, sealing, secretContext(sealedFor, 'root-2', path));
  return { backend: 'vyos', files: {}, sealedSecrets, ...rest } satisfies NodePart;
}

describe('resolvePart', () => {
  it('opens a part carried on from an earlier deploy for the deploy it names, and no other', async () => {
    const { sealing, opening } = await keys();
    const carried = await part({ psk: 'p$k' }, { sealedIn: 't0' }, sealing, 't0');
    expect((await resolvePart('t1', 'root-2', carried, opening)).secretValues).toEqual(['p$k']);
    const unnamed = await part({ psk: 'p$k' }, {}, sealing, 't0');
    await expect(resolvePart('t1', 'root-2', unnamed, opening)).rejects.toThrow(/secret "psk"/);
  });

  it('puts secrets into commands and files, and marks those files owner-only', async () => {
    const { sealing, opening } = await keys();
    const node = await part(
      { 'keys/ca.key': 'KEY', psk: 'p$k' },
      { files: { 'plain.conf': 'x', 'with-secret.conf': 'psk={{secret:psk}}' }, commands: ["set a secret '{{secret:psk}}'"] },
      sealing,
    );
    const { part: resolved, secretValues } = await resolvePart('t1', 'root-2', node, opening);
    expect(resolved).toEqual({
      files: {
        'plain.conf': { content: 'x', mode: 0o644 },
        'with-secret.conf': { content: 'psk=p$k', mode: 0o600 },
        'keys/ca.key': { content: 'KEY', mode: 0o600 },
        psk: { content: 'p$k', mode: 0o600 },
      },
      commands: ["set a secret 'p$k'"],
    });
    expect(secretValues.sort()).toEqual(['KEY', 'p$k']);
  });

  it('refuses a secret that would break out of its quotes, without showing it', async () => {
    const { sealing, opening } = await keys();
    const node = await part({ psk: "x'; reboot; '" }, { commands: ["set a '{{secret:psk}}'"] }, sealing);
    const error = await resolvePart('t1', 'root-2', node, opening).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('command 1: a secret put into it breaks the line (a quote or line break inside)');
  });

  it('refuses a secret that is not UTF-8 text, or that was sealed for another node', async () => {
    const { sealing, opening } = await keys();
    await expect(resolvePart('t1', 'root-2', await part({ bin: Uint8Array.of(0xff, 0xfe) }, {}, sealing), opening)).rejects.toThrow(
      'secret "bin" is not UTF-8 text',
    );
    await expect(resolvePart('t1', 'root-3', await part({ psk: 'x' }, {}, sealing), opening)).rejects.toThrow(/secret "psk" does not open/);
  });
});

describe('redactSecrets', () => {
  it('hides whole secrets and the lines of a PEM key, keeping short values and armour lines', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\nAwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';
    expect(redactSecrets('bad key line AwEHBG0wawIBAQQg near -----BEGIN PRIVATE KEY-----', [pem, 'abc'])).toBe(
      'bad key line [secret] near -----BEGIN PRIVATE KEY-----',
    );
    expect(redactSecrets('psk=longsecret and abc', ['longsecret', 'abc'])).toBe('psk=[secret] and abc');
  });
});
