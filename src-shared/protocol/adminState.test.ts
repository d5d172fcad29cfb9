import { describe, expect, it } from 'vitest';
import { AdminStateSchema, bytesDigest, isNewerState, keptStateText, textDigest } from './adminState.ts';
import type { AdminStateHead } from './adminState.ts';
import { sampleAdminState } from './adminState.testkit.ts';

const head = (storedAt: number, digest: string): AdminStateHead => ({ topologyId: 't', storedAt, storedBy: 1, digest: `sha256:${digest.repeat(64)}`, size: 10 });

describe('an administrator state', () => {
  it('is taken as the application puts it', () => {
    expect(AdminStateSchema.safeParse(sampleAdminState()).success).toBe(true);
  });

  it.each([
    ['keys that one machine’s store opens too', { ...sampleAdminState(), keys: { ...sampleAdminState().keys, osKey: { box: 'electron-safe-storage', ct: 'AAAA' } } }, 'keys.osKey'],
    ['keys in plain text', { ...sampleAdminState(), keys: { controlCa: { keyPem: '-----BEGIN PRIVATE KEY-----' } } }, 'keys.format'],
    ['a deployed record that is not base64url', { ...sampleAdminState(), deployed: '{"topology":1}' }, 'deployed'],
    ['another version', { ...sampleAdminState(), version: 2 }, 'version'],
    ['a field of its own', { ...sampleAdminState(), note: 'x' }, ''],
  ])('is refused with %s', (_what, value, path) => {
    const parsed = AdminStateSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('which state is newer', () => {
  it.each([
    [head(2, 'a'), undefined, true],
    [head(2, 'a'), head(1, 'f'), true],
    [head(1, 'f'), head(2, 'a'), false],
    [head(2, 'b'), head(2, 'a'), true],
    [head(2, 'a'), head(2, 'b'), false],
    [head(2, 'a'), head(2, 'a'), false],
  ])('%j over %j: %s', (a, b, newer) => {
    expect(isNewerState(a, b)).toBe(newer);
  });
});

describe('a kept state’s text', () => {
  it('is the same whatever order its fields came in, with a digest of it and its length', async () => {
    const state = sampleAdminState();
    const kept = { version: 1 as const, storedAt: 5, storedBy: 2, state };
    const reordered = { state: { keys: state.keys, deployed: state.deployed, deployedAt: state.deployedAt, topologyId: state.topologyId, version: 1 as const }, storedBy: 2, storedAt: 5, version: 1 as const };
    const a = await keptStateText(kept);
    const b = await keptStateText(reordered);
    expect(b).toEqual(a);
    expect(a.head).toEqual({ topologyId: 'topology-1', storedAt: 5, storedBy: 2, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), size: a.text.length });
    expect(JSON.parse(a.text)).toEqual(kept);
    expect((await keptStateText({ ...kept, storedAt: 6 })).head.digest).not.toBe(a.head.digest);
  });
});

describe('digests', () => {
  it('gives a text and its UTF-8 bytes one digest, sha256: and hex', async () => {
    const text = 'état {"a":1}';
    expect(await textDigest('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await bytesDigest(new TextEncoder().encode(text))).toBe(await textDigest(text));
  });
});
