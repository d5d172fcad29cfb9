import { describe, expect, it } from 'vitest';
import { buildDeployPackage, parseDeployPackage, verifyDeployDigest } from './deployPackage.ts';
import { completeParts, copyFromIndex, mergeParts, missingParts, packageIndex, selectedParts, withPartsOnly } from './packageParts.ts';

const NODES = ['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'root-12', 'leaf-12-1'];
const whole = (text = 'x') =>
  buildDeployPackage({
    topologyId: 't1',
    createdAt: '2026-12-07T20:00:00.000Z',
    entryRootId: 1,
    nodes: Object.fromEntries(NODES.map((node) => [node, { backend: 'dry-run' as const, files: { 'a.conf': `${node} ${text}` } }])),
    identityKeys: {},
  });

describe('selectedParts', () => {
  it.each<[string[], string[]]>([
    [['leaf-1-2'], ['leaf-1-2']],
    [['root-1'], ['root-1', 'leaf-1-1', 'leaf-1-2']],
    [['root-2', 'leaf-1-1'], ['leaf-1-1', 'root-2', 'leaf-2-1']],
    // root-1 does not take root-12's leaves; a name the package does not deploy selects nothing.
    [['root-12', 'root-7', 'leaf-9-9'], ['root-12', 'leaf-12-1']],
    [[], []],
  ])('%j selects %j', async (selectors, expected) => {
    expect(selectedParts(await whole(), selectors)).toEqual(expected);
  });
});

describe('copies with some parts', () => {
  it('keep the whole package’s digest, pass its schema, and put back together whole', async () => {
    const pkg = await whole();
    const mine = await withPartsOnly(pkg, ['root-1', 'leaf-1-1']);
    expect(Object.keys(mine.nodes)).toEqual(['root-1', 'leaf-1-1']);
    expect(Object.keys(mine.omitted).sort()).toEqual(['leaf-1-2', 'leaf-12-1', 'leaf-2-1', 'root-12', 'root-2']);
    expect(parseDeployPackage(JSON.parse(JSON.stringify(mine)))).toMatchObject({ ok: true });
    expect(await verifyDeployDigest(mine)).toBe(true);
    expect(missingParts(mine, ['root-1', 'root-2'])).toEqual(['root-2']);

    const rest = await withPartsOnly(pkg, NODES.slice(2));
    const merged = mergeParts(mine, rest);
    expect(merged.omitted).toEqual({});
    expect(merged.nodes).toEqual(pkg.nodes);
    expect(await verifyDeployDigest(merged)).toBe(true);
    // A copy of a copy leaves out what the first left out.
    expect(Object.keys((await withPartsOnly(mine, ['leaf-1-1'])).omitted)).toHaveLength(6);
  });

  it('are found out when a part carried or a digest left out was altered', async () => {
    const pkg = await whole();
    const mine = await withPartsOnly(pkg, ['root-1']);
    const altered = { ...mine, nodes: { 'root-1': { ...mine.nodes['root-1']!, files: { 'a.conf': 'altered' } } } };
    expect(await verifyDeployDigest(altered)).toBe(false);
    const other = await withPartsOnly(await whole('y'), ['root-1']);
    expect(await verifyDeployDigest({ ...mine, omitted: { ...mine.omitted, 'root-2': other.omitted['root-2']! } })).toBe(false);
    expect(() => mergeParts(mine, { ...other, digest: `sha256:${'0'.repeat(64)}` })).toThrow(/copies of two packages/);
  });

  it('may not carry a part and leave it out at once, nor leave out a removed node', async () => {
    const pkg = await whole();
    const mine = await withPartsOnly(pkg, ['root-1']);
    const both = { ...mine, omitted: { ...mine.omitted, 'root-1': mine.omitted['root-2']! } };
    expect(parseDeployPackage(JSON.parse(JSON.stringify(both)))).toMatchObject({ ok: false, problems: [expect.stringContaining('is also carried whole')] });
    const removedToo = { ...mine, removed: { nodes: ['root-2'], tunnels: [] } };
    expect(parseDeployPackage(JSON.parse(JSON.stringify(removedToo)))).toMatchObject({ ok: false, problems: [expect.stringContaining('is also deployed')] });
  });
});

describe('the index, and a copy made of it', () => {
  it('an index carries no part and keeps the digest; a copy made of it and unchanged parts is a copy of the package', async () => {
    const pkg = await whole();
    const index = await packageIndex(pkg);
    expect(index.nodes).toEqual({});
    expect(Object.keys(index.omitted).sort()).toEqual([...NODES].sort());
    expect(await verifyDeployDigest(index)).toBe(true);
    // The parts as the node has them from an earlier package: the same content, other objects.
    const copy = await copyFromIndex(index, { 'root-1': structuredClone(pkg.nodes['root-1']!), 'leaf-1-1': structuredClone(pkg.nodes['leaf-1-1']!) });
    expect(Object.keys(copy!.nodes)).toEqual(['root-1', 'leaf-1-1']);
    expect(Object.keys(copy!.omitted)).not.toContain('root-1');
    expect(copy!.digest).toBe(pkg.digest);
    expect(await verifyDeployDigest(copy!)).toBe(true);
    expect(parseDeployPackage(JSON.parse(JSON.stringify(copy)))).toMatchObject({ ok: true });
  });

  it.each([
    ['a part that changed', { 'root-1': { backend: 'dry-run' as const, files: { 'a.conf': 'root-1 y' }, sealedSecrets: {} } }],
    ['a part the package does not deploy', { 'root-9': { backend: 'dry-run' as const, files: { 'a.conf': 'root-9 x' }, sealedSecrets: {} } }],
  ])('makes no copy with %s', async (_what, parts) => {
    expect(await copyFromIndex(await packageIndex(await whole()), parts)).toBeUndefined();
  });
});

describe('completeParts', () => {
  it('fills the parts a copy leaves out from the packages given, by their digests, or names those none holds', async () => {
    const pkg = await whole();
    const sent = await withPartsOnly(pkg, ['root-2']);
    const kept = await withPartsOnly(pkg, NODES.filter((node) => node !== 'leaf-12-1'));
    const filled = await completeParts(sent, [kept, await whole('other')]);
    expect(filled).toEqual({ lacking: ['leaf-12-1'] });
    const completed = await completeParts(sent, [kept, structuredClone(pkg)]);
    expect('package' in completed && completed.package.omitted).toEqual({});
    expect('package' in completed && (await verifyDeployDigest(completed.package))).toBe(true);
    expect(await completeParts(pkg, [])).toEqual({ package: pkg });
  });
});
