// The contract's topology calls end to end on a real store, run the same over both transports: memory and the loopback WebSocket.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../src-shared/contract/client.ts';
import { createClient } from '../../../src-shared/contract/client.ts';
import type { TopologyState } from '../../../src-shared/contract/contract.ts';
import { memoryTransport } from '../../../src-shared/contract/memoryTransport.ts';
import { socketTransport } from '../../../src-shared/contract/socketTransport.ts';
import type { Transport } from '../../../src-shared/contract/transport.ts';
import { ContractError } from '../../../src-shared/contract/transport.ts';
import type { Endpoint } from '../../../src-shared/contract/transport.ts';
import type { TopologyStore } from '../topologyStore/topologyStore.ts';
import { openTopologyStore } from '../topologyStore/topologyStore.ts';
import { openAppEndpoint } from './openAppEndpoint.ts';
import { topologyCore } from './topologyCore.ts';
import { startWsHost } from '../../host/wsHost.ts';

const fixture = fileURLToPath(new URL('../../../e2e/fixtures/topologies/three-clouds.json', import.meta.url));
const root = (id: number, second: number) => ({ id, name: `c${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${second}.0.0/16`, maxClients: 150 });

interface Connected {
  transport: Transport;
  close(): Promise<void>;
}

const transports: Array<{ kind: string; connect(endpoint: Endpoint, dir: string): Promise<Connected> }> = [
  { kind: 'memory', connect: async (endpoint) => ({ transport: memoryTransport(endpoint), close: async () => undefined }) },
  {
    kind: 'WebSocket',
    async connect(endpoint, dir) {
      const host = await startWsHost({ endpoint, staticFolder: dir });
      const transport = socketTransport(host.socketUrl, (url) => new WebSocket(url));
      return { transport, close: () => (transport.close(), host.close()) };
    },
  },
];

describe.each(transports)('topology calls over $kind', ({ connect }) => {
  let dir: string;
  let stateFile: string;
  let store: TopologyStore;
  let client: Client;
  let connected: Connected;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'raincoat-core-'));
    stateFile = join(dir, 'pending.json');
    const app = await openAppEndpoint({ stateFile });
    store = app.store;
    connected = await connect(app.endpoint, dir);
    client = createClient(connected.transport);
  });
  afterEach(async () => {
    await connected.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gets the empty pending topology at first', async () => {
    const state = await client.api['topology.get']();
    expect(state).toEqual({
      topology: { roots: [], tunnels: [] },
      plan: { roots: [], tunnels: [], summary: { roots: 0, tunnels: 0, leaves: 0, clientCapacity: 0 } },
      changes: { deployed: false, roots: { added: [], changed: [], moved: [], deleted: [] }, tunnels: { added: [], deleted: [] }, count: 0 },
      revision: 0,
      canUndo: false,
      canRedo: false,
      storedIn: stateFile,
      recovery: null,
    });
  });

  it('saves a valid topology and answers with its plan', async () => {
    const result = await client.api['topology.save']({ topology: { roots: [root(1, 1)] } });
    expect(result.ok).toBe(true);
    const state = (result as { state: TopologyState }).state;
    expect(state.topology).toEqual({ roots: [root(1, 1)], tunnels: [] });
    expect(state.plan.roots[0]?.leaves.map((l) => l.clientSubnet)).toEqual(['10.1.4.0/25', '10.1.4.128/25']);
    expect(state).toMatchObject({ revision: 1, canUndo: true });
    expect(await client.api['topology.get']()).toEqual(state);
  });

  it('refuses an invalid topology with its problems and stores nothing', async () => {
    await client.api['topology.save']({ topology: { roots: [root(1, 1)] } });
    const before = await readFile(stateFile, 'utf8');
    const result = await client.api['topology.save']({ topology: { roots: [root(1, 1), root(2, 1)] } });
    expect(result).toEqual({
      ok: false,
      reason: 'not saved: 1 problem; the pending topology is unchanged',
      problems: [{ path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps the overlay of root 1 (c1)' }],
    });
    expect((await client.api['topology.get']()).topology.roots).toHaveLength(1);
    expect(await readFile(stateFile, 'utf8')).toBe(before);
  });

  it('rejects a call whose input breaks the schema, and a name the contract does not declare', async () => {
    await expect(client.api['topology.open']({ path: '' })).rejects.toMatchObject({ name: 'ContractError', code: 'bad-input' });
    await expect(connected.transport.call('topology.drop', undefined)).rejects.toBeInstanceOf(ContractError);
  });

  it('opens a topology file, and says why when it cannot', async () => {
    const opened = await client.api['topology.open']({ path: fixture });
    expect(opened.ok && opened.state.topology.roots.map((r) => r.name)).toEqual(['aws-east', 'euca-lab', 'on-prem']);
    const missing = join(dir, 'missing.json');
    expect(await client.api['topology.open']({ path: missing })).toEqual({ ok: false, reason: `${missing}: cannot read: no such file`, problems: [] });
    const invalid = join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ roots: [root(1, 1), root(1, 2)] }));
    const refused = await client.api['topology.open']({ path: invalid });
    expect(refused).toMatchObject({ ok: false, reason: `${invalid} not opened: 3 problems; the pending topology is unchanged` });
    expect(refused.ok === false && refused.problems.map((p) => p.path)).toEqual(['roots[1].id', 'roots[1].name', 'roots[1].internetAddress']);
    expect((await client.api['topology.get']()).topology.roots).toHaveLength(3);
  });

  it('undoes the last change and says when there is none', async () => {
    expect((await client.api['topology.undo']()).undone).toBe(false);
    await client.api['topology.open']({ path: fixture });
    const undone = await client.api['topology.undo']();
    expect(undone.undone).toBe(true);
    expect(undone.state).toMatchObject({ topology: { roots: [] }, canUndo: false, revision: 2 });
  });

  it('diffs against an empty overlay until something is deployed, then against that', async () => {
    await client.api['topology.open']({ path: fixture });
    const first = await client.api['topology.diff']();
    expect(first.deployed).toBe(false);
    expect(first.diff.roots.added.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(first.diff.leaves.added).toHaveLength(3 + 2 + 1);
    await store.markDeployed(store.pending());
    expect(await client.api['topology.diff']()).toMatchObject({ deployed: true, diff: { empty: true } });
  });

  it('makes each command, and refuses one in plain words without touching the stored file', async () => {
    await client.api['topology.save']({ topology: { roots: [root(1, 1), root(2, 2)] } });
    const added = await client.api['topology.command']({ kind: 'addTunnel', a: 2, b: 1 });
    expect(added.ok && added.state.topology.tunnels).toEqual([{ a: 2, b: 1 }]);
    const before = await readFile(stateFile, 'utf8');
    expect(await client.api['topology.command']({ kind: 'addTunnel', a: 1, b: 2 })).toEqual({ ok: false, reason: 'there is already a tunnel between root 1 (c1) and root 2 (c2)', problems: [] });
    expect(await client.api['topology.command']({ kind: 'addTunnel', a: 1, b: 1 })).toEqual({ ok: false, reason: 'root 1 (c1) cannot have a tunnel to itself: a tunnel joins two different roots', problems: [] });
    expect(await client.api['topology.command']({ kind: 'deleteRoot', id: 9 })).toEqual({ ok: false, reason: 'root 9 does not exist', problems: [] });
    const refused = await client.api['topology.command']({ kind: 'addRoot', root: { ...root(3, 2), maxClients: 'many' } });
    expect(refused).toMatchObject({ ok: false, reason: 'root 3 (c3) not added: 2 problems; the pending topology is unchanged' });
    expect(refused.ok === false && refused.problems.map((p) => p.path)).toEqual(['roots[2].maxClients', 'roots[2].overlay']);
    expect(await readFile(stateFile, 'utf8')).toBe(before);
    expect((await client.api['topology.get']()).revision).toBe(2);
    const edited = await client.api['topology.command']({ kind: 'editRoot', id: 2, changes: { name: 'west' } });
    expect(edited.ok && edited.state.topology.roots[1]?.name).toBe('west');
  });

  it('rejects a command the contract does not declare, or one with ids that are not ids', async () => {
    await expect(connected.transport.call('topology.command', { kind: 'renameOverlay' })).rejects.toMatchObject({ name: 'ContractError', code: 'bad-input' });
    await expect(client.api['topology.command']({ kind: 'deleteRoot', id: 0 })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(client.api['topology.command']({ kind: 'moveRoot', id: 1, position: { x: 1 } as { x: number; y: number } })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('redoes what undo took back, and says when there is nothing to redo', async () => {
    expect((await client.api['topology.redo']()).redone).toBe(false);
    await client.api['topology.open']({ path: fixture });
    await client.api['topology.command']({ kind: 'deleteRoot', id: 3 });
    expect((await client.api['topology.undo']()).state).toMatchObject({ canUndo: true, canRedo: true });
    const redone = await client.api['topology.redo']();
    expect(redone.redone).toBe(true);
    expect(redone.state).toMatchObject({ canUndo: true, canRedo: false, revision: 4 });
    expect(redone.state.topology.roots.map((r) => r.id)).toEqual([1, 2]);
  });

  it('keeps deleted roots and tunnels in the state until the deploy, and cancels changes back to the deployed topology', async () => {
    expect(await client.api['topology.cancelChanges']()).toEqual({
      ok: false,
      reason: 'nothing is deployed yet, so there is no deployed topology to go back to',
      problems: [],
    });
    const opened = await client.api['topology.open']({ path: fixture });
    expect(opened.ok && opened.state.changes).toMatchObject({ deployed: false, roots: { added: [1, 2, 3] }, count: 6 });
    await store.markDeployed(store.pending());
    const deployed = store.pending();
    const deleted = await client.api['topology.command']({ kind: 'deleteRoot', id: 3 });
    expect(deleted.ok && deleted.state.changes).toEqual({
      deployed: true,
      roots: { added: [], changed: [], moved: [], deleted: [deployed.roots[2]] },
      tunnels: { added: [], deleted: [{ a: 1, b: 3 }, { a: 2, b: 3 }] },
      count: 3,
    });
    const cancelled = await client.api['topology.cancelChanges']();
    expect(cancelled.ok && cancelled.state).toMatchObject({ topology: deployed, changes: { count: 0 }, canUndo: true });
    expect(await client.api['topology.cancelChanges']()).toMatchObject({ ok: false, reason: 'no pending changes: the pending topology is the deployed one' });
    expect((await client.api['topology.undo']()).state.changes.roots.deleted.map((r) => r.name)).toEqual(['on-prem']);
  });

  it('tells every client about a change', async () => {
    const heard: number[] = [];
    client.on('topology.didChange', (state) => heard.push(state.revision));
    // A call first, so the socket is open before the change is made.
    await client.api['topology.get']();
    await store.save({ roots: [root(5, 5)] });
    await client.api['topology.undo']();
    await expect.poll(() => heard).toEqual([1, 2]);
  });
});

describe('topology calls while editing is blocked', () => {
  it('refuses every change with the reason, and changes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raincoat-core-'));
    try {
      const store = await openTopologyStore({ file: join(dir, 'pending.json') });
      await store.save({ roots: [root(1, 1), root(2, 2)] });
      await store.save({ roots: [root(1, 1)] });
      await store.undo();
      const reason = 'a deploy is under way';
      const { handlers } = topologyCore(store, { editingBlocked: () => reason });
      const refused = { ok: false, reason, problems: [] };
      expect(await handlers['topology.command']({ kind: 'deleteRoot', id: 1 })).toEqual(refused);
      expect(await handlers['topology.save']({ topology: { roots: [] } })).toEqual(refused);
      expect(await handlers['topology.open']({ path: fixture })).toEqual(refused);
      expect(await handlers['topology.cancelChanges']()).toEqual(refused);
      expect((await handlers['topology.undo']()).undone).toBe(false);
      expect((await handlers['topology.redo']()).redone).toBe(false);
      expect([store.revision(), store.pending().roots.length]).toEqual([3, 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
