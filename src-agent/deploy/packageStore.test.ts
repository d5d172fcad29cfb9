import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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

const makePackage = (topologyId: string) =>
  buildDeployPackage({ topologyId, createdAt: '2026-01-02T03:04:05.000Z', entryRootId: 1, nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': topologyId } } }, identityKeys: {} });
const fileOf = (digest: string) => `${digest.slice('sha256:'.length)}.json`;

describe('packageStore', () => {
  it('stores and loads the packages unchanged, one owner-only file each named by its digest, and removes them', async () => {
    const store = packageStore(join(dir, 'packages'));
    expect(await store.load()).toEqual({ packages: [], problems: [] });
    const [t1, t2] = await Promise.all([makePackage('t1'), makePackage('t2')]);
    await store.save(t1);
    await store.save(t2);
    const loaded = await store.load();
    expect(new Set(loaded.packages)).toEqual(new Set([t1, t2]));
    expect(await verifyDeployDigest(loaded.packages[0]!)).toBe(true);
    expect((await readdir(join(dir, 'packages'))).sort()).toEqual([fileOf(t1.digest), fileOf(t2.digest)].sort());
    expect((await stat(join(dir, 'packages', fileOf(t1.digest)))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'packages'))).mode & 0o777).toBe(0o700);

    await store.remove(t1.digest);
    await store.remove(t1.digest);
    expect(await store.load()).toEqual({ packages: [t2], problems: [] });
  });

  it('reports a corrupt file and keeps it aside, and leaves out a file that holds another package than its name says', async () => {
    const packages = join(dir, 'packages');
    await mkdir(packages);
    const [t1, t2] = await Promise.all([makePackage('t1'), makePackage('t2')]);
    await writeFile(join(packages, fileOf(t1.digest)), '{"topologyId": 3}');
    const store = packageStore(packages, () => 0);
    await store.save(t2);
    await rename(join(packages, fileOf(t2.digest)), join(packages, fileOf(`sha256:${'c'.repeat(64)}`)));
    const loaded = await store.load();
    expect(loaded.packages).toEqual([]);
    expect(loaded.problems).toHaveLength(2);
    expect(loaded.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^the stored deploy package ${fileOf(t1.digest)} was corrupt \\(.*\\); kept it as .*\\.corrupt-1970-01-01T00-00-00-000Z$`)),
        `the stored deploy package ${fileOf(`sha256:${'c'.repeat(64)}`)} is another package (${t2.digest}); left it out`,
      ]),
    );
  });
});
