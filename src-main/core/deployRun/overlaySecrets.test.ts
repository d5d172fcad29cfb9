import { beforeAll, describe, expect, it } from 'vitest';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { keysToMake } from './keysToMake.ts';
import { REDACTED, replaceSecrets, secretWords } from './overlaySecrets.ts';
import { recordFiles, renderNodes } from './renderNodes.ts';

const topology = { roots: [makeRoot(1, { maxClients: 100 }), makeRoot(2, { maxClients: 150 })], tunnels: [{ a: 1, b: 2 }] };
const plan = planAddresses(topology);
let keys: OverlayKeys;
beforeAll(async () => {
  keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 0 });
});

describe('the overlay\'s secrets in rendered files', () => {
  it('are all replaced in what the record keeps, in every form the renderers write them', () => {
    const words = secretWords(keys);
    const psk = keys.tunnels['tunnel-1-2']!.psk;
    const keyLine = keys.leaves['leaf-2-2']!.uplinkClient.keyPem.split('\n')[1]!;
    for (const [node, files] of renderNodes(plan, keys, {})) {
      const record = recordFiles(files, words);
      const texts = Object.values(record).map((f) => f.text).join('\n');
      expect(texts, node).not.toContain(psk);
      expect(texts, node).not.toContain(keyLine);
      for (const word of words) expect(texts.includes(word), `${node} holds a secret`).toBe(false);
      expect(texts, node).toContain(REDACTED);
      // Certificates are not secrets: they stay readable.
      expect(record['pki/ca.crt']!.text).toContain('BEGIN CERTIFICATE');
    }
  });

  it('are found in a text as whole words only', () => {
    const words = new Set(['abcdefghijklmnop0123']);
    expect(replaceSecrets("secret 'abcdefghijklmnop0123'\nxabcdefghijklmnop0123\n", words)).toBe("secret '[secret]'\nxabcdefghijklmnop0123\n");
    expect(replaceSecrets('key abcdefghijklmnop0123', words, () => '{{secret:1}}')).toBe('key {{secret:1}}');
  });
});

describe('the keys a deploy makes', () => {
  it('are every node\'s and tunnel\'s at the first deploy, then only what is new', async () => {
    expect(keysToMake(undefined, keys)).toEqual([
      "root-1: its cloud's OpenVPN CA, uplink server certificate and tls-crypt key",
      "root-2: its cloud's OpenVPN CA, uplink server certificate and tls-crypt key",
      'leaf-1-1: client-server and uplink certificates',
      'leaf-2-1: client-server and uplink certificates',
      'leaf-2-2: client-server and uplink certificates',
      'tunnel-1-2: pre-shared key',
    ]);
    const grown = planAddresses({ roots: [makeRoot(1, { maxClients: 100 }), makeRoot(2, { maxClients: 150 }), makeRoot(3, { maxClients: 10 })], tunnels: [{ a: 1, b: 2 }, { a: 1, b: 3 }] });
    const more = await ensureOverlayKeys(grown, keys, { clientsPerRoot: 0 });
    expect(keysToMake(keys, more)).toEqual([
      "root-3: its cloud's OpenVPN CA, uplink server certificate and tls-crypt key",
      'leaf-3-1: client-server and uplink certificates',
      'tunnel-1-3: pre-shared key',
    ]);
    const shrunk = await ensureOverlayKeys(planAddresses({ roots: [makeRoot(1, { maxClients: 100 }), makeRoot(2, { maxClients: 90 })], tunnels: [{ a: 1, b: 2 }] }), keys, { clientsPerRoot: 0 });
    expect(keysToMake(keys, shrunk)).toEqual(['root-2: a CRL revoking 2 more certificates']);
  });

  it('name the certificates renewed because they expire within 30 days', async () => {
    const renewed = await ensureOverlayKeys(plan, keys, { clientsPerRoot: 0, now: new Date(Date.now() + 800 * 86_400_000) });
    const lines = keysToMake(keys, renewed);
    expect(lines).toHaveLength(2 + 3 * 2);
    expect(lines[0]).toMatch(/^root-1: uplink server certificate renewed \(the one it replaces expires \d{4}-\d\d-\d\d\)$/);
    expect(lines.filter((l) => l.startsWith('leaf-2-2: '))).toEqual([expect.stringMatching(/client server certificate renewed/), expect.stringMatching(/uplink client certificate renewed/)]);
  });
});
