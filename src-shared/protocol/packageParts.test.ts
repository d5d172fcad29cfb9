import { describe, expect, it } from 'vitest';
import { buildDeployPackage, parseDeployPackage, verifyDeployDigest } from './deployPackage.ts';
import { mergeParts, missingParts, selectedParts, withPartsOnly } from './packageParts.ts';

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
