import { describe, expect, it } from 'vitest';
import { importOpeningKey } from '../../src-shared/crypto/seal.ts';
import type { DeployBackend } from '../../src-shared/protocol/deployPackage.ts';
import type { ResolvedPart } from '../backends/types.ts';
import { partDigester, PartDigestSchema } from './partDigest.ts';

async function openingKey() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
}
const key = await openingKey();
const SECRET = 'the-pre-shared-key-of-tunnel-1-2';
const PART: ResolvedPart = {
  files: { 'swanctl/swanctl.conf': { content: `secret = "${SECRET}"\n`, mode: 0o600 }, 'openvpn/uplink.conf': { content: 'dev tun\n', mode: 0o644 } },
  commands: [],
};

describe('partDigester', () => {
  it('gives the same digest for the same part, whatever order its files come in', async () => {
    const digest = partDigester(key);
    const reordered: ResolvedPart = { files: Object.fromEntries(Object.entries(PART.files).reverse()), commands: [] };
    const first = await digest('linux', PART);
    expect(PartDigestSchema.parse(first)).toBe(first);
    expect(await digest('linux', structuredClone(reordered))).toBe(first);
    expect(first).not.toContain(SECRET);
  });

  it.each<[string, DeployBackend, ResolvedPart]>([
    ['a file’s content', 'linux', { ...PART, files: { ...PART.files, 'openvpn/uplink.conf': { content: 'dev tap\n', mode: 0o644 } } }],
    ['a file’s mode', 'linux', { ...PART, files: { ...PART.files, 'openvpn/uplink.conf': { content: 'dev tun\n', mode: 0o600 } } }],
    ['a secret', 'linux', { ...PART, files: { ...PART.files, 'swanctl/swanctl.conf': { content: 'secret = "another"\n', mode: 0o600 } } }],
    ['a file more', 'linux', { ...PART, files: { ...PART.files, 'x.conf': { content: '', mode: 0o644 } } }],
    ['a command', 'linux', { ...PART, commands: ['set system host-name r1'] }],
    ['the backend that applies it', 'dry-run', PART],
  ])('tells a part apart by %s', async (_name, backend, part) => {
    const digest = partDigester(key);
    expect(await digest(backend, part)).not.toBe(await digest('linux', PART));
  });

  it('is keyed to the node: another node’s key digests the same part otherwise', async () => {
    expect(await partDigester(await openingKey())('linux', PART)).not.toBe(await partDigester(key)('linux', PART));
  });
});
