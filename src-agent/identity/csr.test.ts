import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CsrError, createCsr, readCsr } from './csr.ts';
import { pemDecode, pemEncode } from './der.ts';

const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('createCsr / readCsr', () => {
  it.each([
    ['EC P-256', ec()],
    ['RSA 2048', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ])('round-trips a %s request with its common name and key', (_name, keys) => {
    const request = readCsr(createCsr('leaf-3-2', keys.privateKey));
    expect(request.commonName).toBe('leaf-3-2');
    expect(request.publicKey.equals(keys.publicKey)).toBe(true);
  });

  it('writes a request OpenSSL accepts as self-signed', (ctx) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csr-'));
    try {
      writeFileSync(path.join(dir, 'r.csr'), createCsr('root-7', ec().privateKey));
      let out: string;
      try {
        out = execFileSync('openssl', ['req', '-in', path.join(dir, 'r.csr'), '-noout', '-verify', '-subject'], { encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ctx.skip('openssl is not installed');
        throw error;
      }
      expect(out).toMatch(/CN\s*=\s*root-7/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a request made by OpenSSL', (ctx) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csr-'));
    try {
      const key = path.join(dir, 'k.pem');
      try {
        execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key], { stdio: 'pipe' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ctx.skip('openssl is not installed');
        throw error;
      }
      const pem = execFileSync('openssl', ['req', '-new', '-key', key, '-subj', '/O=acme/CN=client-vm-1'], { encoding: 'utf8' });
      expect(readCsr(pem).commonName).toBe('client-vm-1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a request whose signature does not match its key', () => {
    const der = pemDecode('CERTIFICATE REQUEST', createCsr('root-1', ec().privateKey));
    der[der.length - 5]! ^= 0x01;
    expect(() => readCsr(pemEncode('CERTIFICATE REQUEST', der))).toThrow(CsrError);
  });

  it.each([
    ['no PEM block', 'hello', /expected a PEM block/],
    ['truncated DER', pemEncode('CERTIFICATE REQUEST', Buffer.from([0x30, 0x82, 0x01])), /not a readable certification request/],
    ['a bare sequence', pemEncode('CERTIFICATE REQUEST', Buffer.from([0x30, 0x00])), /not a readable certification request/],
  ])('refuses %s with a reason', (_name, pem, message) => {
    expect(() => readCsr(pem)).toThrow(message);
  });
});
