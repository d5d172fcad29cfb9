import { describe, expect, it } from 'vitest';
import { buildDeployPackage, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { createDigestCheck } from './digestCheck.ts';

const build = () =>
  buildDeployPackage({
    topologyId: 't1',
    createdAt: '2026-01-02T03:04:05.000Z',
    entryRootId: 1,
    nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': 'a' } } },
    identityKeys: {},
  });

describe('createDigestCheck', () => {
  it('computes a package’s digest once, however often it is asked', async () => {
    const computed: DeployPackage[] = [];
    const check = createDigestCheck(async (pkg) => {
      computed.push(pkg);
      return true;
    });
    const pkg = await build();
    expect(await Promise.all([check(pkg), check(pkg), check(pkg)])).toEqual([true, true, true]);
    expect(computed).toEqual([pkg]);
  });

  it('checks another copy anew: a copy may have been altered', async () => {
    const check = createDigestCheck();
    const pkg = await build();
    const tampered = structuredClone(pkg);
    tampered.nodes['root-1']!.files['a.conf'] = 'b';
    expect(await check(pkg)).toBe(true);
    expect(await check(tampered)).toBe(false);
    expect(await check(structuredClone(pkg))).toBe(true);
  });
});
