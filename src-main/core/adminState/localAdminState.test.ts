import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { writeSealedFile } from '../secrets/sealedFile.ts';
import { serializeState } from '../topologyStore/storedState.ts';
import { sampleRecord, sealedKeys } from './adminState.testkit.ts';
import { keepsAdminState, localDifferences, readLocalAdminState } from './localAdminState.ts';
import type { KeysComparison, LocalAdminState } from './localAdminState.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-local-state-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('what this machine keeps of an overlay', () => {
  it('is nothing in an empty folder, and a pending topology alone keeps no state', async () => {
    expect(await readLocalAdminState(dir)).toEqual({ record: undefined, keys: undefined, pending: undefined, unsettled: false });
    await writeFile(path.join(dir, 'pending-topology.json'), serializeState({ pending: sampleRecord().topology, deployed: null }));
    const local = await readLocalAdminState(dir);
    expect(local.pending).toEqual(sampleRecord().topology);
    expect(keepsAdminState(local)).toBe(false);
  });

  it('is read as it is, changing nothing: the record, the keys, the pending topology, a deploy not settled', async () => {
    const keys = await sealedKeys();
    await writeFile(path.join(dir, 'deployed.json'), JSON.stringify(sampleRecord()));
    await writeSealedFile(path.join(dir, 'raincoat-keys.json'), keys);
    await writeFile(path.join(dir, 'deploy-in-flight.json'), '{}');
    const local = await readLocalAdminState(dir);
    expect(local).toEqual({ record: sampleRecord(), keys, pending: undefined, unsettled: true });
    expect(keepsAdminState(local)).toBe(true);
  });

  it('says which files cannot be read, leaving them where they are', async () => {
    await writeFile(path.join(dir, 'deployed.json'), '{"version": 1,');
    await writeFile(path.join(dir, 'raincoat-keys.json'), '{"format": "raincoat-sealed"}');
    await writeFile(path.join(dir, 'pending-topology.json'), '{}');
    expect(await readLocalAdminState(dir)).toEqual({ record: 'unreadable', keys: 'unreadable', pending: 'unreadable', unsettled: false });
    expect((await readdir(dir)).sort()).toEqual(['deployed.json', 'pending-topology.json', 'raincoat-keys.json']);
  });
});

describe('what differs from a restored state', () => {
  const nothing: LocalAdminState = { record: undefined, keys: undefined, pending: undefined, unsettled: false };
  const restored = sampleRecord('topo-2', '2026-12-08T10:00:00.000Z');
  it.each<[string, Partial<LocalAdminState>, KeysComparison, string[]]>([
    ['nothing here', {}, 'none', []],
    ['the same state', { record: restored, pending: restored.topology }, 'same', []],
    ['an empty pending topology', { pending: { roots: [], tunnels: [] } }, 'none', []],
    ['a deploy not settled', { unsettled: true }, 'none', ['a deploy posted from here is not settled (deploy-in-flight.json): let the application or "raincoat deploy" follow it to its end']],
    ['an older deploy', { record: sampleRecord('topo-1', '2026-12-07T10:00:00.000Z') }, 'none', ["this machine last deployed topology topo-1 (at 2026-12-07T10:00:00.000Z), older than the overlay's topo-2 (at 2026-12-08T10:00:00.000Z)"]],
    ['a newer deploy', { record: sampleRecord('topo-3', '2026-12-09T10:00:00.000Z') }, 'none', ["this machine last deployed topology topo-3 (at 2026-12-09T10:00:00.000Z), newer than the overlay's topo-2 (at 2026-12-08T10:00:00.000Z)"]],
    ['another record of the same deploy', { record: { ...restored, nodes: {} } }, 'none', ["this machine's record of topology topo-2 differs from the overlay's"]],
    ['an unreadable record', { record: 'unreadable' }, 'none', ['what was deployed from here (deployed.json) cannot be read']],
    ['keys changed since', {}, 'changed', ["the keys here differ from the overlay's: changed since its last deploy (a rotation or a revocation not deployed yet?)"]],
    ['keys under another passphrase', {}, 'other-passphrase', ['the keys here are sealed under another passphrase']],
    ['plain keys', {}, 'plain', ['the keys here are kept in plain text, as an older Raincoat kept them']],
    ['pending changes', { pending: { roots: [makeRoot(1)], tunnels: [] } }, 'none', ["the pending topology here has changes that the overlay's deployed topology does not"]],
  ])('%s', (_what, local, keys, differences) => {
    expect(localDifferences({ ...nothing, ...local }, restored, keys)).toEqual(differences);
  });
});
