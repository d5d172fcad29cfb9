import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { AdminStateSchema } from '../../../src-shared/protocol/adminState.ts';
import type { AdminState } from '../../../src-shared/protocol/adminState.ts';
import { memoryBox } from '../secrets/unlocker.testkit.ts';
import { adminStateOf, recordOf } from './adminStateContent.ts';
import { sampleRecord, sealedKeys } from './adminState.testkit.ts';

describe('the administrator state of a deploy', () => {
  it('carries the record zipped and the keys as sealed, under the passphrase alone, and gives the record back', async () => {
    const keys = await sealedKeys(undefined, undefined, memoryBox());
    expect(keys.osKey).toBeDefined();
    const state = await adminStateOf(sampleRecord(), keys);
    const { osKey: _thisMachine, ...portable } = keys;
    expect(state).toMatchObject({ version: 1, topologyId: 'topo-1', deployedAt: '2026-12-08T10:00:00.000Z', keys: portable });
    expect(AdminStateSchema.safeParse(state).success).toBe(true);
    expect(state.deployed.length).toBeLessThan(JSON.stringify(sampleRecord()).length);
    expect(await recordOf(state)).toEqual({ record: sampleRecord() });
  });

  const zipped = (text: string) => gzipSync(text).toString('base64url');
  it.each<[string, (state: AdminState) => AdminState, RegExp]>([
    ['a record that is not zipped', (s) => ({ ...s, deployed: 'AAAA' }), /^its deployed record does not unzip/],
    ['a record that is not JSON', (s) => ({ ...s, deployed: zipped('{"version":') }), /^its deployed record is not JSON/],
    ['JSON that is not a record', (s) => ({ ...s, deployed: zipped('{"version":1}') }), /^its deployed record is not one: /],
    ['the record of another topology', (s) => ({ ...s, topologyId: 'topo-2' }), /^its deployed record is of topology topo-1, not topo-2$/],
    ['a record that unzips past the bound', (s) => ({ ...s, deployed: zipped(' '.repeat(10_000)) }), /^its deployed record does not unzip/],
  ])('is refused with %s', async (_what, change, problem) => {
    const state = change(await adminStateOf(sampleRecord(), await sealedKeys()));
    const read = await recordOf(state, 5_000);
    expect('problem' in read && read.problem).toMatch(problem);
  });
});
