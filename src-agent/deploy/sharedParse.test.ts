import { describe, expect, it } from 'vitest';
import { buildDeployPackage, DEPLOY_PACKAGE_VERSION } from '../../src-shared/protocol/deployPackage.ts';
import { parsePackageBytes } from './sharedParse.ts';

const bytesOf = async (text: string) =>
  Buffer.from(
    JSON.stringify(
      await buildDeployPackage({ topologyId: 't1', createdAt: '2026-01-02T03:00:00.000Z', entryRootId: 1, nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': text } } }, identityKeys: {} }),
    ),
  );

describe('parsePackageBytes', () => {
  it('parses the same bytes once in the process: every agent given them gets the one package', async () => {
    const bytes = await bytesOf('a');
    const first = parsePackageBytes(bytes);
    const again = parsePackageBytes(Buffer.from(bytes));
    expect('package' in first && 'package' in again && first.package === again.package).toBe(true);
    expect(parsePackageBytes(await bytesOf('b'))).not.toEqual(first);
  });

  it('keeps only the last few packages: an older one is parsed again, equal but new', async () => {
    const bytes = await bytesOf('first');
    const first = parsePackageBytes(bytes);
    for (const text of ['2', '3', '4', '5']) parsePackageBytes(await bytesOf(text));
    const again = parsePackageBytes(bytes);
    expect(again).toEqual(first);
    expect('package' in first && 'package' in again && first.package !== again.package).toBe(true);
  });

  it('says why bytes that are not a package are none', () => {
    expect(parsePackageBytes(Buffer.from('<html>'))).toEqual({ problem: `not JSON: Unexpected token '<', "<html>" is not valid JSON` });
    expect(parsePackageBytes(Buffer.from(`{"version": ${DEPLOY_PACKAGE_VERSION}}`))).toMatchObject({ problem: expect.stringMatching(/^topologyId: /) });
  });
});
