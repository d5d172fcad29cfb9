import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KeptAdminState } from '../../../src-shared/protocol/adminState.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { DeployedRecordSchema } from '../deployRun/deployedRecord.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import { writeSealedFile } from '../secrets/sealedFile.ts';
import { memoryBox, testUnlocker } from '../secrets/unlocker.testkit.ts';
import { parseState, serializeState } from '../topologyStore/storedState.ts';
import { keptState, sampleKeys, sampleRecord, sealedKeys } from './adminState.testkit.ts';
import { restoreAdminState } from './restoreAdminState.ts';

let dir: string;
let kept: KeptAdminState;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-restore-'));
  kept = await keptState(sampleRecord('topo-2'), await sealedKeys());
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const at = (file: string) => path.join(dir, file);
const NOW = Date.parse('2026-12-08T12:00:00Z');
const restore = (options: { passphrase?: string; force?: boolean; box?: ReturnType<typeof memoryBox> } = {}) =>
  restoreAdminState({ kept, overlayDir: dir, secrets: testUnlocker({ ...('passphrase' in options ? { passphrase: options.passphrase } : {}), ...(options.box ? { box: options.box } : {}) }), force: options.force ?? false, now: () => NOW });
const files = async () => (await readdir(dir)).sort();

describe('restoring the overlay’s state on this machine', () => {
  it('into an empty folder: the keys sealed again for this machine, what was deployed, and the pending topology', async () => {
    const box = memoryBox();
    expect(await restore({ box })).toEqual({ kind: 'restored', record: sampleRecord('topo-2'), setAside: [] });
    expect(await files()).toEqual(['deployed.json', 'pending-topology.json', 'raincoat-keys.json']);
    expect(DeployedRecordSchema.parse(JSON.parse(await readFile(at('deployed.json'), 'utf8')))).toEqual(sampleRecord('topo-2'));
    expect(parseState(await readFile(at('pending-topology.json'), 'utf8'))).toEqual({ ok: true, state: { pending: sampleRecord().topology, deployed: sampleRecord().topology } });
    const sealed = JSON.parse(await readFile(at('raincoat-keys.json'), 'utf8'));
    expect(sealed.osKey).toMatchObject({ box: box.name });
    expect((await stat(at('raincoat-keys.json'))).mode & 0o777).toBe(0o600);
    expect(await readFile(at('raincoat-keys.json'), 'utf8')).not.toContain('the pre-shared key of tunnel-1-2');
    // This machine opens them by itself now; anywhere else, the passphrase does.
    const opened = testUnlocker({ passphrase: undefined, box });
    await expect(keptOverlayKeys(at('raincoat-keys.json'), opened).state()).resolves.toBe('open');
    expect(await keptOverlayKeys(at('raincoat-keys.json'), testUnlocker()).open()).toEqual(sampleKeys());
  });

  it.each([
    ['a wrong passphrase', 'not the passphrase at all', /^wrong passphrase \(the one of the test\): it does not open these secrets; nothing was changed$/],
    ['no passphrase', undefined, /^no passphrase: none in this test$/],
  ])('with %s, writes nothing', async (_what, passphrase, problem) => {
    const restored = await restore({ passphrase });
    expect(restored).toEqual({ kind: 'refused', problems: [expect.stringMatching(problem)] });
    expect(await files()).toEqual([]);
  });

  it('writes nothing when this machine has that very state', async () => {
    await restore();
    const before = await readFile(at('raincoat-keys.json'), 'utf8');
    expect(await restore()).toEqual({ kind: 'same', record: sampleRecord('topo-2') });
    expect(await readFile(at('raincoat-keys.json'), 'utf8')).toBe(before);
  });

  it('leaves a state of its own as it is, saying what differs; with force, replaces it, keeping it aside', async () => {
    await writeFile(at('deployed.json'), JSON.stringify(sampleRecord('topo-1', '2026-12-07T10:00:00.000Z')));
    await writeSealedFile(at('raincoat-keys.json'), await sealedKeys(sampleKeys(), 'another passphrase, long enough'));
    await writeFile(at('pending-topology.json'), serializeState({ pending: { roots: [makeRoot(1)], tunnels: [] }, deployed: null }));
    const before = await Promise.all(['deployed.json', 'pending-topology.json', 'raincoat-keys.json'].map((f) => readFile(at(f), 'utf8')));
    expect(await restore()).toEqual({
      kind: 'refused',
      problems: [
        "this machine last deployed topology topo-1 (at 2026-12-07T10:00:00.000Z), older than the overlay's topo-2 (at 2026-12-08T10:00:00.000Z)",
        'the keys here are sealed under another passphrase',
        "the pending topology here has changes that the overlay's deployed topology does not",
        'nothing was changed: --force replaces them, keeping the files replaced aside',
      ],
    });
    expect(await Promise.all(['deployed.json', 'pending-topology.json', 'raincoat-keys.json'].map((f) => readFile(at(f), 'utf8')))).toEqual(before);

    const forced = await restore({ force: true });
    const stamp = '2026-12-08T12-00-00-000Z';
    expect(forced).toEqual({ kind: 'restored', record: sampleRecord('topo-2'), setAside: ['raincoat-keys.json', 'deployed.json', 'pending-topology.json'].map((f) => at(`${f}.replaced-${stamp}`)) });
    expect(await readFile(at(`deployed.json.replaced-${stamp}`), 'utf8')).toBe(before[0]);
    expect(await keptOverlayKeys(at('raincoat-keys.json'), testUnlocker()).open()).toEqual(sampleKeys());
  });

  it('refuses keys changed here since the deploy, by what they hold, not how they were sealed', async () => {
    await restore();
    await keptOverlayKeys(at('raincoat-keys.json'), testUnlocker()).save(sampleKeys());
    expect(await restore()).toMatchObject({ kind: 'same' });
    await keptOverlayKeys(at('raincoat-keys.json'), testUnlocker()).save(sampleKeys('a new pre-shared key'));
    expect(await restore()).toMatchObject({ kind: 'refused', problems: [expect.stringMatching(/^the keys here differ from the overlay's/), expect.any(String)] });
  });
});
