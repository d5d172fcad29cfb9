import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeployPackage, verifyDeployDigest } from '../../src-shared/protocol/deployPackage.ts';
import { packageStore } from './packageStore.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-pkg-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('packageStore', () => {
  it('stores and loads the package unchanged, owner-only', async () => {
    const store = packageStore(join(dir, 'package.json'));
    expect(await store.load()).toEqual({});
    const pkg = await buildDeployPackage({
      topologyId: 't1',
      createdAt: '2026-01-02T03:04:05.000Z',
      entryRootId: 1,
      nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': 'a' } } },
      identityKeys: {},
    });
    await store.save(pkg);
    const loaded = await store.load();
    expect(loaded).toEqual({ package: pkg });
    expect(await verifyDeployDigest(loaded.package!)).toBe(true);
    expect((await stat(join(dir, 'package.json'))).mode & 0o777).toBe(0o600);
  });

  it('reports a corrupt file and keeps it aside', async () => {
    await writeFile(join(dir, 'package.json'), '{"topologyId": 3}');
    const loaded = await packageStore(join(dir, 'package.json'), () => 0).load();
    expect(loaded.package).toBeUndefined();
    expect(loaded.problem).toMatch(/^the stored deploy package was corrupt \(.*\); kept it as .*package\.json\.corrupt-1970-01-01T00-00-00-000Z$/);
  });
});
