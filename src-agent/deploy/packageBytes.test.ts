import { describe, expect, it } from 'vitest';
import { buildDeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { packageBytes as bytesOf } from './packageBytes.ts';

describe('packageBytes', () => {
  it('serialises a package once, and each package to its own JSON', async () => {
    const make = (id: string) => buildDeployPackage({ topologyId: id, createdAt: '2026-01-02T03:00:00.000Z', entryRootId: 1, nodes: {}, identityKeys: {} });
    const [a, b] = await Promise.all([make('a'), make('b')]);
    expect(bytesOf(a)).toBe(bytesOf(a));
    expect(JSON.parse(bytesOf(a).toString('utf8'))).toEqual(a);
    expect(JSON.parse(bytesOf(b).toString('utf8'))).toEqual(b);
  });
});
