import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keptStateText } from '../../../src-shared/protocol/adminState.ts';
import type { AgentResult } from '../agentClient/agentAnswer.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import { testUnlocker } from '../secrets/unlocker.testkit.ts';
import { answered, refused } from '../session/fakeAgent.testkit.ts';
import { keptState, sampleKeys, sampleRecord, sealedKeys } from './adminState.testkit.ts';
import { restoreAtLogin } from './restoreAtLogin.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-login-restore-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A root keeping the state of `topo-2`, in one page. */
async function root() {
  const kept = await keptState(sampleRecord('topo-2'), await sealedKeys());
  const { text, head } = await keptStateText(kept);
  let reads = 0;
  return { kept, head, reads: () => reads, api: { readAdminState: async () => (reads++, answered<'readAdminState'>({ head, offset: 0, text })) } };
}

describe('the application’s restore at login', () => {
  it('on an overlay it keeps nothing of: writes what was deployed and the keys as the roots keep them, for the passphrase to open', async () => {
    const at = await root();
    const restored = await restoreAtLogin({ api: at.api, overlayDir: dir, now: Date.now });
    expect(restored).toEqual({ kind: 'restored', record: sampleRecord('topo-2'), head: at.head });
    expect((await readdir(dir)).sort()).toEqual(['deployed.json', 'raincoat-keys.json']);
    expect(JSON.parse(await readFile(path.join(dir, 'raincoat-keys.json'), 'utf8'))).toEqual(at.kept.state.keys);
    const keys = keptOverlayKeys(path.join(dir, 'raincoat-keys.json'), testUnlocker({ passphrase: undefined }));
    expect(await keys.state()).toBe('locked');
    expect(await keys.unlock('not the passphrase at all')).toMatchObject({ ok: false });
    expect(await keys.unlock('a test passphrase, long enough')).toEqual({ ok: true });
    expect(await keys.open()).toEqual(sampleKeys());
  });

  it('on an overlay it keeps a state of: asks nothing, writes nothing', async () => {
    const at = await root();
    await writeFile(path.join(dir, 'deployed.json'), JSON.stringify(sampleRecord('topo-1')));
    expect(await restoreAtLogin({ api: at.api, overlayDir: dir, now: Date.now })).toEqual({ kind: 'kept-here' });
    expect(at.reads()).toBe(0);
    expect(await readdir(dir)).toEqual(['deployed.json']);
  });

  it.each<[string, AgentResult<'readAdminState'>, object]>([
    ['none at the root', refused('not_found', 'no administrator state here', 404), { kind: 'none', reason: 'no administrator state here' }],
    ['no answer', refused('timeout', 'root-1: no answer within 120000 ms'), { kind: 'failed', reason: 'root-1: no answer within 120000 ms' }],
  ])('with %s: writes nothing', async (_what, answer, expected) => {
    expect(await restoreAtLogin({ api: { readAdminState: async () => answer }, overlayDir: dir, now: Date.now })).toEqual(expected);
    expect(await readdir(dir)).toEqual([]);
  });
});
