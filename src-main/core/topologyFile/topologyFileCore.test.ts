import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import { openTopologyStore } from '../topologyStore/topologyStore.ts';
import { loadTopology } from './loadTopology.ts';
import type { FileDialogs } from './topologyFileCore.ts';
import { topologyFileCore } from './topologyFileCore.ts';

const topology = {
  roots: [
    { id: 1, name: 'aws-east', internetAddress: '203.0.113.1', overlay: '10.1.0.0/16', maxClients: 250, position: { x: 0, y: 0 }, cloud: { provider: 'ec2' } },
    { id: 2, name: 'gcp', internetAddress: '203.0.113.2', overlay: '10.2.0.0/16', maxClients: 100, cloud: { provider: 'gcp' } },
  ],
  tunnels: [{ a: 1, b: 2 }],
};

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topology-file-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function core(dialogs: FileDialogs | null) {
  const store = await openTopologyStore({ file: join(dir, 'state.json') });
  expect((await store.save(topology)).ok).toBe(true);
  return topologyFileCore(store, { dialogs }).handlers;
}

const dialogsAnswering = (open: string | null, save: string | null): FileDialogs => ({ chooseTopologyToOpen: async () => open, chooseWhereToSave: async () => save });

describe('topologyFileCore', () => {
  it('exports the pending topology as the plain file validate reads, and the editor opens it back unchanged', async () => {
    const file = join(dir, 'exported.json');
    const handlers = await core(dialogsAnswering(null, file));
    expect(await handlers['topologyFile.export']()).toEqual({ savedTo: file });
    const text = await readFile(file, 'utf8');
    expect(JSON.parse(text)).toEqual(topology);
    expect(validateTopology(JSON.parse(text)).ok).toBe(true);
    expect(await loadTopology(file)).toEqual({ kind: 'ok', topology });
  });

  it('writes nothing when the save dialog is cancelled, and passes on the file chosen to open', async () => {
    const handlers = await core(dialogsAnswering('/home/a/t.json', null));
    expect(await handlers['topologyFile.export']()).toEqual({ savedTo: null });
    expect(await handlers['topologyFile.choose']()).toEqual({ path: '/home/a/t.json' });
  });

  it('says plainly that a window without dialogs cannot use them', async () => {
    const handlers = await core(null);
    await expect(handlers['topologyFile.choose']()).rejects.toThrow('this window has no file dialogs: a browser opens and downloads topology files itself');
    await expect(handlers['topologyFile.export']()).rejects.toThrow('this window has no file dialogs');
  });
});
