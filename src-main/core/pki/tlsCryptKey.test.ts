import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openvpnMissing, scratchDir, skipIf, type Scratch } from '../../../src-node/x509/pki.testkit.ts';
import { STATIC_KEY_BYTES, generateTlsCryptKey, parseOpenVpnStaticKey } from './tlsCryptKey.ts';

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

test('the key is 2048 bits as 16 lines of 32 hex digits between the V1 armour', () => {
  const text = generateTlsCryptKey();
  const lines = text.trimEnd().split('\n');
  expect(lines.slice(0, 4)).toEqual(['#', '# 2048 bit OpenVPN static key', '#', '-----BEGIN OpenVPN Static key V1-----']);
  expect(lines.slice(4, 20)).toHaveLength(16);
  for (const line of lines.slice(4, 20)) expect(line).toMatch(/^[0-9a-f]{32}$/);
  expect(lines.slice(20)).toEqual(['-----END OpenVPN Static key V1-----']);
  expect(parseOpenVpnStaticKey(text)).toHaveLength(STATIC_KEY_BYTES);
  expect(generateTlsCryptKey()).not.toBe(text);
});

test('the bytes come from the random source', () => {
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  expect(parseOpenVpnStaticKey(generateTlsCryptKey(() => bytes))).toEqual(bytes);
});

test('malformed keys are rejected', () => {
  const text = generateTlsCryptKey();
  expect(() => parseOpenVpnStaticKey(text.replace(/^[0-9a-f]{32}$/m, ''))).toThrow(/512 hex digits/);
  expect(() => parseOpenVpnStaticKey(text.replace('BEGIN', 'START'))).toThrow(/BEGIN/);
});

test('the format is the one openvpn --genkey writes, and openvpn reads ours', (ctx) => {
  skipIf(ctx, openvpnMissing);
  expect(scratch.run('openvpn', ['--genkey', 'secret', 'theirs.key']).status).toBe(0);
  const theirs = readFileSync(path.join(scratch.dir, 'theirs.key'), 'utf8');
  const ours = generateTlsCryptKey();
  const shape = (text: string) => text.replace(/[0-9a-f]/g, 'x');
  expect(shape(ours)).toBe(shape(theirs));
  expect(parseOpenVpnStaticKey(theirs)).toHaveLength(STATIC_KEY_BYTES);
  // OpenVPN's crypto self-test loads the key with its own parser and runs packets through it.
  const selfTest = scratch.run('openvpn', ['--test-crypto', '--secret', scratch.write('ours.key', ours), '--cipher', 'AES-256-CBC', '--verb', '1']);
  expect(selfTest.stdout).toContain('crypto self-test mode SUCCEEDED');
});
