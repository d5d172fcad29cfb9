import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AdminState } from '../../../src-shared/protocol/adminState.ts';
import { writeSealedFile } from '../secrets/sealedFile.ts';
import { memoryBox } from '../secrets/unlocker.testkit.ts';
import { answered, refused } from '../session/fakeAgent.testkit.ts';
import { recordOf } from './adminStateContent.ts';
import { sampleRecord, sealedKeys } from './adminState.testkit.ts';
import { keepAdminState } from './keepAdminState.ts';

let dir: string;
let keysFile: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-keep-state-'));
  keysFile = path.join(dir, 'raincoat-keys.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const HEAD = { topologyId: 'topo-1', storedAt: 5, storedBy: 1, digest: `sha256:${'a'.repeat(64)}`, size: 10 };

describe('keeping the administrator state after a deploy', () => {
  it('puts the record and the keys as sealed, without this machine’s wrap, at the entry root', async () => {
    const keys = await sealedKeys(undefined, undefined, memoryBox());
    await writeSealedFile(keysFile, keys);
    const put: AdminState[] = [];
    const entry = { putAdminState: async (state: AdminState) => (put.push(state), answered<'putAdminState'>({ head: HEAD, kept: 'new' })) };
    expect(await keepAdminState(entry, keysFile, sampleRecord())).toEqual({ ok: true, head: HEAD });
    expect(put).toHaveLength(1);
    expect(put[0]!.keys).toEqual({ ...keys, osKey: undefined });
    expect(put[0]!.keys).not.toHaveProperty('osKey');
    expect(await recordOf(put[0]!)).toEqual({ record: sampleRecord() });
  });

  it.each([
    ['no keys kept', async () => undefined, `the overlay's keys are not kept sealed in `],
    ['keys in plain text', () => writeFile(keysFile, '{"version":1}'), `the overlay's keys are not kept sealed in `],
    ['a refusal', async () => writeSealedFile(keysFile, await sealedKeys()), 'the state is 17000000 bytes, more than the 16777216 a root keeps'],
  ])('says why not with %s', async (_what, arrange, reason) => {
    await arrange();
    const entry = { putAdminState: async () => refused('too_large', 'the state is 17000000 bytes, more than the 16777216 a root keeps', 413) };
    const kept = await keepAdminState(entry, keysFile, sampleRecord());
    expect(kept.ok).toBe(false);
    expect(!kept.ok && kept.reason).toContain(reason);
  });
});
