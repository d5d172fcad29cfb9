import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeployNodeInput, NodePart } from '../../../src-shared/protocol/deployPackage.ts';
import { inputFingerprint, reuseSealedParts, sealedPartsFile, sealedPartsOf } from './sealedParts.ts';

const KEY = new Uint8Array([1, 2, 3]);
const INPUT: DeployNodeInput = { backend: 'linux', files: { 'a.conf': 'psk={{secret:psk}}' }, secrets: { psk: 'p1' } };
const PART: NodePart = { backend: 'linux', files: { 'a.conf': 'plain' }, sealedSecrets: {}, sealedIn: '2026-01-01T00:00:00.000Z' };

describe('inputFingerprint', () => {
  it.each<[string, DeployNodeInput, Uint8Array | undefined]>([
    ['another secret', { ...INPUT, secrets: { psk: 'p2' } }, KEY],
    ['the secret as bytes', { ...INPUT, secrets: { psk: new TextEncoder().encode('p1') } }, KEY],
    ['another file', { ...INPUT, files: { 'a.conf': 'x' } }, KEY],
    ['another backend', { ...INPUT, backend: 'dry-run' }, KEY],
    ['a renewed identity certificate', { ...INPUT, identityCertificate: 'CERT' }, KEY],
    ['another identity key', INPUT, new Uint8Array([9])],
    ['no identity key', INPUT, undefined],
  ])('changes with %s', (_what, input, key) => {
    expect(inputFingerprint(input, key)).not.toBe(inputFingerprint(INPUT, KEY));
  });

  it('does not depend on key order', () => {
    const reordered: DeployNodeInput = { secrets: { psk: 'p1' }, files: { 'a.conf': 'psk={{secret:psk}}' }, backend: 'linux' };
    expect(inputFingerprint(reordered, KEY)).toBe(inputFingerprint(INPUT, KEY));
    expect(inputFingerprint(INPUT, KEY)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('reuseSealedParts', () => {
  it('carries on only the parts made from the same fingerprint', () => {
    const same = inputFingerprint(INPUT, KEY);
    const fingerprints = new Map([['root-1', same], ['root-2', same], ['root-3', same]]);
    const kept = { version: 1 as const, parts: { 'root-1': { input: same, part: PART }, 'root-2': { input: 'f'.repeat(64), part: PART } } };
    const inputs = { 'root-1': INPUT, 'root-2': INPUT, 'root-3': INPUT };
    expect(reuseSealedParts(inputs, fingerprints, kept)).toEqual({ sealed: { 'root-1': PART }, toSeal: { 'root-2': INPUT, 'root-3': INPUT } });
    expect(reuseSealedParts(inputs, fingerprints, undefined)).toEqual({ sealed: {}, toSeal: inputs });
  });
});

describe('sealedPartsFile', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('keeps a package\'s parts with their fingerprints, and sets a corrupt file aside', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sealed-parts-'));
    const file = sealedPartsFile(path.join(dir, 'parts.json'), () => 0);
    expect(await file.load()).toEqual({ kind: 'missing' });
    const kept = sealedPartsOf({ nodes: { 'root-1': PART, 'root-9': PART } }, new Map([['root-1', 'a'.repeat(64)]]));
    expect(kept.parts).toEqual({ 'root-1': { input: 'a'.repeat(64), part: PART } });
    await file.save(kept);
    expect(await file.load()).toEqual({ kind: 'ok', value: kept });
    await file.save({ ...kept, version: 2 } as never);
    expect(await file.load()).toMatchObject({ kind: 'corrupt' });
  });
});
