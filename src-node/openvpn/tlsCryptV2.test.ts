import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fromPem } from '../x509/pem.ts';
import { openvpnMissing, scratchDir, skipIf, type Scratch } from '../x509/pki.testkit.ts';
import { CLIENT_KEY_BYTES, SERVER_KEY_BYTES, generateTlsCryptV2ClientKey, generateTlsCryptV2ServerKey, tlsCryptV2ServerKeys } from './tlsCryptV2.ts';
import { unwrapTlsCryptV2ClientKey as unwrap } from './tlsCryptV2.testkit.ts';

const counting = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => i % 251));

describe('tls-crypt-v2 keys', () => {
  test('a server key is 128 random bytes under its PEM label', () => {
    const key = generateTlsCryptV2ServerKey(counting);
    expect(key).toMatch(/^-----BEGIN OpenVPN tls-crypt-v2 server key-----\n[A-Za-z0-9+/=\n]+-----END OpenVPN tls-crypt-v2 server key-----\n$/);
    expect(fromPem(key, 'OpenVPN tls-crypt-v2 server key')).toEqual(counting(SERVER_KEY_BYTES));
    expect(generateTlsCryptV2ServerKey()).not.toBe(generateTlsCryptV2ServerKey());
  });

  test('a client key carries its random Kc, unwraps under its server key with its creation time, and under no other', () => {
    const server = generateTlsCryptV2ServerKey();
    const now = new Date('2026-12-07T12:00:00Z');
    const client = generateTlsCryptV2ClientKey(server, { now, random: counting });
    const opened = unwrap(server, client)!;
    expect(opened.clientKey).toEqual(counting(CLIENT_KEY_BYTES));
    expect(opened.metadata[0]).toBe(1);
    expect(Number(opened.metadata.readBigUInt64BE(1))).toBe(now.getTime() / 1000);
    expect(unwrap(generateTlsCryptV2ServerKey(), client)).toBeUndefined();
    expect(generateTlsCryptV2ClientKey(server)).not.toBe(generateTlsCryptV2ClientKey(server));
  });

  test('a text that is no server key is refused', () => {
    expect(() => generateTlsCryptV2ClientKey('-----BEGIN OpenVPN Static key V1-----\n00\n-----END OpenVPN Static key V1-----\n')).toThrow(/tls-crypt-v2 server key/);
    expect(() => tlsCryptV2ServerKeys(generateTlsCryptV2ServerKey(() => Buffer.alloc(64)))).toThrow(/expected 128 bytes, found 64/);
  });
});

describe('against openvpn', () => {
  let scratch: Scratch;
  beforeEach(() => {
    scratch = scratchDir();
  });
  afterEach(() => scratch.remove());

  test('openvpn wraps client keys under our server key as we do, and ours have the shape of its own', (ctx) => {
    skipIf(ctx, openvpnMissing);
    const server = generateTlsCryptV2ServerKey();
    const serverFile = scratch.write('server.key', server);
    expect(scratch.run('openvpn', ['--tls-crypt-v2', serverFile, '--genkey', 'tls-crypt-v2-client', 'theirs.key']).status).toBe(0);
    const theirs = readFileSync(path.join(scratch.dir, 'theirs.key'), 'utf8');
    expect(unwrap(server, theirs)?.metadata[0]).toBe(1);
    const ours = generateTlsCryptV2ClientKey(server);
    const shape = (text: string) => text.replace(/[A-Za-z0-9+/=]/g, 'x');
    expect(shape(ours)).toBe(shape(theirs));
    expect(scratch.run('openvpn', ['--genkey', 'tls-crypt-v2-server', 'their-server.key']).status).toBe(0);
    expect(shape(server)).toBe(shape(readFileSync(path.join(scratch.dir, 'their-server.key'), 'utf8')));
  });
});
