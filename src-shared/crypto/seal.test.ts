import { describe, expect, it } from 'vitest';
import { toBase64Url, utf8DecodeStrict } from './base64.ts';
import { importOpeningKey, importSealingKey, openSealed, SealedBlobSchema, SealError, sealSecret } from './seal.ts';

/** An identity key as a node makes it: ECDSA P-256 (its TLS key), exported as SPKI and PKCS#8. */
async function identity() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  return { spki, pkcs8 };
}

function pem(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;
}

async function expectSealError(promise: Promise<unknown>, reason: SealError['reason']) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SealError);
  expect((error as SealError).reason).toBe(reason);
}

describe('seal', () => {
  it('opens what was sealed to the same identity key, from DER and from PEM', async () => {
    const node = await identity();
    const blob = await sealSecret('-----BEGIN PRIVATE KEY-----\nsecret\n', await importSealingKey(node.spki), 'ctx');
    expect(SealedBlobSchema.safeParse(blob).success).toBe(true);
    const fromDer = await openSealed(blob, await importOpeningKey(node.pkcs8), 'ctx');
    const fromPem = await openSealed(blob, await importOpeningKey(pem('PRIVATE KEY', node.pkcs8)), 'ctx');
    expect(utf8DecodeStrict(fromDer)).toBe('-----BEGIN PRIVATE KEY-----\nsecret\n');
    expect(fromPem).toEqual(fromDer);
    const viaPemPublic = await importSealingKey(pem('PUBLIC KEY', node.spki));
    expect(viaPemPublic.keyId).toBe((await importOpeningKey(node.pkcs8)).keyId);
  });

  it('holds no plaintext and never repeats itself', async () => {
    const key = await importSealingKey((await identity()).spki);
    const secret = 'a-sixty-character-pre-shared-key-aaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const one = await sealSecret(secret, key, 'ctx');
    const two = await sealSecret(secret, key, 'ctx');
    expect(JSON.stringify(one)).not.toContain(secret);
    expect(JSON.stringify(one)).not.toContain(toBase64Url(new TextEncoder().encode(secret)).slice(0, 20));
    expect(one.epk).not.toBe(two.epk);
    expect(one.ct).not.toBe(two.ct);
  });

  it('seals binary and empty secrets', async () => {
    const node = await identity();
    for (const secret of [new Uint8Array(0), Uint8Array.of(0, 255, 1, 254)]) {
      const blob = await sealSecret(secret, await importSealingKey(node.spki), 'ctx');
      expect(await openSealed(blob, await importOpeningKey(node.pkcs8), 'ctx')).toEqual(secret);
    }
  });

  it('another node cannot open it, and says so', async () => {
    const [a, b] = [await identity(), await identity()];
    const blob = await sealSecret('psk', await importSealingKey(a.spki), 'ctx');
    await expectSealError(openSealed(blob, await importOpeningKey(b.pkcs8), 'ctx'), 'other-key');
  });

  it('a blob relabelled with the opener’s key id still does not open', async () => {
    const [a, b] = [await identity(), await identity()];
    const opener = await importOpeningKey(b.pkcs8);
    const blob = await sealSecret('psk', await importSealingKey(a.spki), 'ctx');
    await expectSealError(openSealed({ ...blob, kid: opener.keyId }, opener, 'ctx'), 'damaged');
  });

  it.each([
    ['a flipped ciphertext byte', (ct: string) => (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1), 'ctx'],
    ['a different context', (ct: string) => ct, 'other-file'],
  ])('%s is refused as damaged', async (_name, mutate, context) => {
    const node = await identity();
    const blob = await sealSecret('psk', await importSealingKey(node.spki), 'ctx');
    await expectSealError(openSealed({ ...blob, ct: mutate(blob.ct) }, await importOpeningKey(node.pkcs8), context), 'damaged');
  });

  it('an ephemeral key that is not a curve point is refused as damaged', async () => {
    const node = await identity();
    const blob = await sealSecret('psk', await importSealingKey(node.spki), 'ctx');
    const bogus = toBase64Url(Uint8Array.of(4, ...new Uint8Array(64).fill(7)));
    await expectSealError(openSealed({ ...blob, epk: bogus }, await importOpeningKey(node.pkcs8), 'ctx'), 'damaged');
  });

  it('refuses a key that is not PEM or not P-256', async () => {
    await expect(importSealingKey('not a key')).rejects.toThrow(/PEM "PUBLIC KEY"/);
    const rsa = (await crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    await expect(importSealingKey(new Uint8Array(await crypto.subtle.exportKey('spki', rsa.publicKey)))).rejects.toThrow();
  });
});
