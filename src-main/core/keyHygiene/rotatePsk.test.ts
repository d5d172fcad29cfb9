import { describe, expect, it } from 'vitest';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { markPskForRotation, parseRootRef } from './rotatePsk.ts';

describe('a root as the command line names it', () => {
  it.each([
    ['2', 2],
    ['root-2', 2],
    ['root-17', 17],
    ['0', undefined],
    ['02', undefined],
    ['-1', undefined],
    ['leaf-1-1', undefined],
    ['root-', undefined],
    ['two', undefined],
    ['99999999999', undefined],
  ])('%s is %s', (text, id) => expect(parseRootRef(text)).toBe(id));
});

describe('marking a tunnel for a new pre-shared key', () => {
  // Only the tunnels matter here; the rest of the keys is carried over untouched.
  const keys = { version: 1, keyType: 'ecdsa-p256', tunnels: { 'tunnel-1-2': { psk: 'old-1-2' }, 'tunnel-2-3': { psk: 'old-2-3' } } } as unknown as OverlayKeys;
  const deployed = [{ a: 2, b: 1 }, { a: 2, b: 3 }];

  it.each([
    [1, 2],
    [2, 1],
  ])('drops tunnel %i–%i’s key whichever end is named first, and keeps every other key as it was', (a, b) => {
    const rotation = markPskForRotation(keys, deployed, a, b);
    expect(rotation).toEqual({ ok: true, tunnel: 'tunnel-1-2', alreadyMarked: false, keys: { ...keys, tunnels: { 'tunnel-2-3': { psk: 'old-2-3' } } } });
    expect(keys.tunnels['tunnel-1-2']).toEqual({ psk: 'old-1-2' });
  });

  it('says when the key was already dropped (a rotation not deployed yet)', () => {
    const marked = markPskForRotation(keys, deployed, 1, 2);
    expect(marked.ok && markPskForRotation(marked.keys, deployed, 2, 1)).toMatchObject({ ok: true, tunnel: 'tunnel-1-2', alreadyMarked: true });
  });

  it.each([
    [1, 3, 'the deployed topology has no tunnel between root-1 and root-3 (its tunnels: tunnel-1-2, tunnel-2-3)'],
    [4, 2, 'the deployed topology has no tunnel between root-2 and root-4 (its tunnels: tunnel-1-2, tunnel-2-3)'],
    [2, 2, 'a tunnel joins two different roots; root-2 was named twice'],
  ])('refuses %i–%i: %s', (a, b, reason) => {
    expect(markPskForRotation(keys, deployed, a, b)).toEqual({ ok: false, reason });
  });

  it('refuses any tunnel when the deployed topology has none', () => {
    expect(markPskForRotation(keys, [], 1, 2)).toEqual({ ok: false, reason: 'the deployed topology has no tunnel between root-1 and root-2 (its tunnels: none)' });
  });
});
