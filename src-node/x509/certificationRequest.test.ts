import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsrError, createCsr, readCsr } from './certificationRequest.ts';
import { bitString, children, nullValue, objectIdentifier, readWhole, sequence, smallInteger, unsignedInteger, contextConstructed } from './der.ts';
import { commonNameDer } from './names.ts';
import { fromPem, toPem } from './pem.ts';
import { opensslMissing, scratchDir, skipIf, type Scratch } from './pki.testkit.ts';

const LABEL = 'CERTIFICATE REQUEST';
const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const SHA256_WITH_RSA = Buffer.from('300d06092a864886f70d01010b0500', 'hex');

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

/** A CSR made by openssl for a fresh key of the given `genpkey` options. */
function opensslCsr(keyOptions: string[], subject: string): string {
  expect(scratch.run('openssl', ['genpkey', ...keyOptions, '-out', 'req.key']).status).toBe(0);
  const req = scratch.run('openssl', ['req', '-new', '-key', 'req.key', '-subj', subject, '-out', 'req.csr']);
  expect(req.status, req.stderr).toBe(0);
  return readFileSync(path.join(scratch.dir, 'req.csr'), 'utf8');
}

describe('createCsr / readCsr', () => {
  it.each([
    ['EC P-256', ec(), 'ec'],
    ['RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'rsa'],
  ] as const)('round-trips a %s request with its common name and key', (_name, keys, keyAlgorithm) => {
    const request = readCsr(createCsr('leaf-3-2', keys.privateKey));
    expect(request.commonName).toBe('leaf-3-2');
    expect(request.keyAlgorithm).toBe(keyAlgorithm);
    expect(request.publicKey.equals(keys.publicKey)).toBe(true);
    expect(request.spkiDer.equals(keys.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('writes a request OpenSSL accepts as self-signed', (ctx) => {
    skipIf(ctx, opensslMissing);
    const file = scratch.write('r.csr', createCsr('root-7', ec().privateKey));
    const out = scratch.run('openssl', ['req', '-in', file, '-noout', '-verify', '-subject']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/CN\s*=\s*root-7/);
  });

  it.for([
    ['/O=acme/CN=client-vm-1', 'client-vm-1'],
    ['/O=acme', undefined],
  ] as const)('reads a request made by OpenSSL for %s', ([subject, commonName], ctx) => {
    skipIf(ctx, opensslMissing);
    expect(readCsr(opensslCsr(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], subject)).commonName).toBe(commonName);
  });

  it('refuses a request whose signature or signed subject was changed', (ctx) => {
    const der = fromPem(createCsr('client-1-1', ec().privateKey), LABEL);
    const tamperedSignature = Buffer.from(der);
    tamperedSignature[tamperedSignature.length - 5]! ^= 0x01;
    expect(() => readCsr(toPem(LABEL, tamperedSignature))).toThrow(CsrError);
    expect(() => readCsr(toPem(LABEL, tamperedSignature))).toThrow(/bad signature/);
    const tamperedSubject = Buffer.from(der.toString('binary').replace('client-1-1', 'client-1-2'), 'binary');
    expect(() => readCsr(toPem(LABEL, tamperedSubject))).toThrow(/bad signature/);

    skipIf(ctx, opensslMissing);
    const made = fromPem(opensslCsr(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=client-1-1'), LABEL);
    made[made.length - 1]! ^= 0x01;
    expect(() => readCsr(toPem(LABEL, made))).toThrow(/bad signature/);
  });

  it('refuses a request that names another algorithm than its key uses', () => {
    const [info, , signature] = children(readWhole(fromPem(createCsr('x', ec().privateKey), LABEL)));
    expect(() => readCsr(toPem(LABEL, sequence(info!.encoded, SHA256_WITH_RSA, signature!.encoded)))).toThrow(/unsupported signature algorithm/);
  });

  it.each([
    ['RSA 1024', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['EC P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey],
  ])('refuses a %s key as too weak or unsupported', (_name, key) => {
    expect(() => readCsr(createCsr('old', key))).toThrow(/too weak/);
  });

  /** A request for an RSA public key of `bits` whose exponent is `exponent`, with a signature that cannot check out. */
  function rsaRequest(bits: number, exponent: Buffer): string {
    const modulus = randomBytes(bits / 8);
    modulus[0]! |= 0x80;
    modulus[modulus.length - 1]! |= 1;
    const key = sequence(unsignedInteger(modulus), unsignedInteger(exponent));
    const spki = sequence(sequence(objectIdentifier('1.2.840.113549.1.1.1'), nullValue()), bitString(key));
    const info = sequence(smallInteger(0), commonNameDer('x'), spki, contextConstructed(0));
    return toPem(LABEL, sequence(info, SHA256_WITH_RSA, bitString(randomBytes(bits / 8))));
  }
  const F4 = Buffer.of(1, 0, 1);
  const hugeExponent = (bits: number) => Buffer.concat([Buffer.of(0x40), randomBytes(bits / 8 - 2), Buffer.of(1)]);

  // Refused before the signature is checked: verifying with such keys costs milliseconds each, and anyone may send them.
  it.each([
    ['RSA 3072 with a 3071-bit exponent', rsaRequest(3072, hugeExponent(3072))],
    ['RSA 2048 with an exponent of 2^32 + 1', rsaRequest(2048, Buffer.of(1, 0, 0, 0, 1))],
    ['RSA 8192 with e = 65537', rsaRequest(8192, F4)],
  ])('refuses %s as too costly to check', (_name, pem) => {
    expect(() => readCsr(pem)).toThrow(/too weak or of an unsupported type/);
  });

  it.each([
    ['RSA 4096 with e = 65537', rsaRequest(4096, F4)],
    ['RSA 2048 with e = 2^32', rsaRequest(2048, Buffer.of(1, 0, 0, 0, 0))],
  ])('checks the signature of %s', (_name, pem) => {
    expect(() => readCsr(pem)).toThrow(/bad signature/);
  });

  it.each([
    ['no PEM block', 'hello', /expected a PEM block "CERTIFICATE REQUEST"/],
    ['truncated DER', toPem(LABEL, Buffer.from([0x30, 0x82, 0x01])), /not a readable certification request/],
    ['a bare sequence', toPem(LABEL, Buffer.from([0x30, 0x00])), /not a readable certification request/],
    ['a certificate labelled as a request', (() => {
      const ca = fromPem(createCsr('x', ec().privateKey), LABEL);
      const [info] = children(readWhole(ca));
      return toPem(LABEL, sequence(sequence(Buffer.from('a003020102', 'hex'), info!.content), SHA256_WITH_RSA, Buffer.from('030100', 'hex')));
    })(), /expected version 1/],
  ])('refuses %s with a reason', (_name, pem, message) => {
    expect(() => readCsr(pem)).toThrow(CsrError);
    expect(() => readCsr(pem)).toThrow(message);
  });
});
