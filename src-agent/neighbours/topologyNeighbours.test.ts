import { describe, expect, it } from 'vitest';
import { buildDeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployOverlay, DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { ReceiveOutcome, ReceiveResult } from '../deploy/deployStep.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import type { JsonFileRead, StateStore } from '../../src-node/jsonStateFile.ts';
import { createNeighbourTable } from './neighbourTable.ts';
import { createTopologyNeighbours } from './topologyNeighbours.ts';
import type { TopologyNeighboursFile } from './topologyNeighbours.ts';

const root = (id: number) => ({ id, name: `r${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 100 });
const overlayWith = (tunnels: { a: number; b: number }[]): DeployOverlay => ({ topology: { roots: [root(1), root(2), root(3)], tunnels }, agentPort: 7443 });
/** root-1's neighbours in a topology with tunnels 1-2 (and 2-3), then with 1-3 added. */
const CHAIN = overlayWith([{ a: 1, b: 2 }, { a: 2, b: 3 }]);
const TRIANGLE = overlayWith([{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 1, b: 3 }]);
const CONFIGURED = [
  { node: 'root-2', url: 'https://127.0.0.1:7002' },
  { node: 'root-3', url: 'https://127.0.0.1:7003' },
];

let clock = Date.parse('2026-03-01T00:00:00Z');
const pkg = (topologyId: string, overlay: DeployOverlay | undefined): Promise<DeployPackage> =>
  buildDeployPackage({ topologyId, createdAt: new Date((clock += 1000)).toISOString(), entryRootId: 1, nodes: {}, identityKeys: {}, ...(overlay ? { overlay } : {}) });

const status = (state: DeployStatus['state'], topologyId: string | undefined, running: string | undefined): DeployStatus => ({
  state,
  ...(topologyId === undefined ? {} : { topologyId }),
  ...(running === undefined ? {} : { runningTopologyId: running }),
  at: 0,
});
const IDLE = status('idle', undefined, undefined);
/** A deploy engine that answers at once; `taken` for one that takes every package (its statuses are played apart). */
const engineSays =
  (result: ReceiveResult) =>
  async (): Promise<ReceiveOutcome> => ({ result, status: IDLE });
const taken = engineSays('awaiting-confirm');

function memoryStore(initial?: unknown): StateStore<TopologyNeighboursFile> & { saved: () => TopologyNeighboursFile | undefined } {
  let value = initial;
  return {
    load: async (): Promise<JsonFileRead<TopologyNeighboursFile>> =>
      value === undefined ? { kind: 'missing' } : typeof value === 'string' ? { kind: 'corrupt', reason: value, keptAs: '/x.corrupt' } : { kind: 'ok', value: structuredClone(value as TopologyNeighboursFile) },
    save: async (next) => {
      value = structuredClone(next);
    },
    saved: () => value as TopologyNeighboursFile | undefined,
  };
}

function setup(store = memoryStore()) {
  const table = createNeighbourTable([]);
  const logged: Record<string, unknown>[] = [];
  const neighbours = createTopologyNeighbours({ self: 'root-1', table, configured: CONFIGURED, store, log: (event, fields) => logged.push({ event, ...fields }) });
  const targets = () => table.names().map((node) => table.target(node));
  return { neighbours, table, targets, logged, store };
}

/** A node that loaded what it had saved and runs with nothing deployed yet. */
async function started(store = memoryStore()) {
  const node = setup(store);
  await node.neighbours.load();
  node.neighbours.follow(IDLE);
  return node;
}

/** A started node on which t1, the chain, is deployed and confirmed. */
async function chainDeployed(store = memoryStore()) {
  const node = await started(store);
  await node.neighbours.receive(await pkg('t1', CHAIN), taken);
  node.neighbours.follow(status('deployed', 't1', 't1'));
  return node;
}

const CHAIN_TARGETS = [
  { node: 'root-2', url: 'https://127.0.0.1:7002' },
  { node: 'leaf-1-1', url: 'https://10.1.0.2:7443' },
];
const TRIANGLE_TARGETS = [...CHAIN_TARGETS.slice(0, 1), { node: 'root-3', url: 'https://127.0.0.1:7003' }, CHAIN_TARGETS[1]];

describe('createTopologyNeighbours', () => {
  it('uses the configured neighbours until a topology is in effect', async () => {
    const { neighbours, targets, logged } = setup();
    expect(await neighbours.load()).toBeUndefined();
    neighbours.follow(IDLE);
    expect(targets()).toEqual(CONFIGURED);
    expect(logged).toEqual([{ event: 'neighbours', from: 'configuration', nodes: ['root-2', 'root-3'] }]);
  });

  it('follows the running topology through apply, a second apply, and the revert to the confirmed one', async () => {
    const { neighbours, targets, logged } = await started();
    await neighbours.receive(await pkg('t1', CHAIN), taken);
    neighbours.follow(status('deploying', 't1', undefined));
    expect(targets()).toEqual(CONFIGURED);
    neighbours.follow(status('awaiting-confirm', 't1', 't1'));
    expect(targets()).toEqual(CHAIN_TARGETS);
    neighbours.follow(status('deployed', 't1', 't1'));

    await neighbours.receive(await pkg('t2', TRIANGLE), taken);
    neighbours.follow(status('deploying', 't2', 't1'));
    expect(targets()).toEqual(CHAIN_TARGETS);
    neighbours.follow(status('awaiting-confirm', 't2', 't2'));
    expect(targets()).toEqual(TRIANGLE_TARGETS);
    // No confirmation before the deadline: the engine reverts to t1, and so do the neighbours.
    neighbours.follow(status('failed', 't2', 't1'));
    expect(targets()).toEqual(CHAIN_TARGETS);
    expect(logged.map((l) => l.from)).toEqual(['configuration', 'topology t1', 'topology t2', 'topology t1']);
  });

  it('finds the running topology again after a restart, and goes back to the confirmed one from there', async () => {
    const store = memoryStore();
    const first = await chainDeployed(store);
    await first.neighbours.receive(await pkg('t2', TRIANGLE), taken);
    first.neighbours.follow(status('awaiting-confirm', 't2', 't2'));
    await first.neighbours.settled();

    const second = setup(store);
    await second.neighbours.load();
    second.neighbours.follow(status('awaiting-confirm', 't2', 't2'));
    expect(second.targets()).toEqual(TRIANGLE_TARGETS);
    second.neighbours.follow(status('failed', 't2', 't1'));
    expect(second.targets()).toEqual(CHAIN_TARGETS);
  });

  it.each<[string, DeployOverlay | undefined, DeployStatus]>([
    ['a package without a topology', undefined, status('awaiting-confirm', 't1', 't1')],
    ['a topology without this node', { topology: { roots: [root(2), root(3)], tunnels: [{ a: 2, b: 3 }] }, agentPort: 7443 }, status('awaiting-confirm', 't1', 't1')],
    ['a node removed from the overlay', CHAIN, status('removed', 't1', undefined)],
  ])('keeps the configured neighbours for %s', async (_what, overlay, after) => {
    const { neighbours, targets } = await started();
    await neighbours.receive(await pkg('t0', CHAIN), taken);
    neighbours.follow(status('deployed', 't0', 't0'));
    await neighbours.receive(await pkg('t1', overlay), taken);
    neighbours.follow(after);
    expect(targets()).toEqual(CONFIGURED);
  });

  it('takes a reloaded configuration: its addresses win over the topology, its list counts when no topology runs', async () => {
    const { neighbours, targets } = await started();
    neighbours.configure([{ node: 'root-3', url: 'https://127.0.0.1:7103' }]);
    expect(targets()).toEqual([{ node: 'root-3', url: 'https://127.0.0.1:7103' }]);
    await neighbours.receive(await pkg('t1', TRIANGLE), taken);
    neighbours.follow(status('awaiting-confirm', 't1', 't1'));
    expect(targets()).toEqual([
      { node: 'root-2', url: 'https://198.51.100.2:7443' },
      { node: 'root-3', url: 'https://127.0.0.1:7103' },
      { node: 'leaf-1-1', url: 'https://10.1.0.2:7443' },
    ]);
  });

  it('keeps the running and the confirmed topology however many packages come after', async () => {
    const { neighbours, store } = await started();
    await neighbours.receive(await pkg('t0', CHAIN), taken);
    neighbours.follow(status('deployed', 't0', 't0'));
    await neighbours.receive(await pkg('t1', TRIANGLE), taken);
    neighbours.follow(status('awaiting-confirm', 't1', 't1'));
    for (let i = 2; i < 12; i++) {
      await neighbours.receive(await pkg(`t${i}`, CHAIN), taken);
      neighbours.follow(status('failed', `t${i}`, 't1'));
    }
    await neighbours.settled();
    const kept = store.saved()!;
    expect(kept.confirmed).toBe('t0');
    expect(kept.topologies.map((t) => t.topologyId)).toEqual(['t0', 't1', 't8', 't9', 't10', 't11']);
  });

  it('keeps the neighbours on disk as the engine starts deploying, and puts them in effect when the engine runs the topology', async () => {
    const { neighbours, targets, store } = await started();
    const seen: { onDisk?: string[]; inEffect?: unknown } = {};
    const outcome = await neighbours.receive(await pkg('t1', CHAIN), async () => {
      neighbours.follow(status('deploying', 't1', undefined));
      await neighbours.settled();
      seen.onDisk = store.saved()?.topologies.map((t) => t.topologyId);
      neighbours.follow(status('awaiting-confirm', 't1', 't1'));
      seen.inEffect = targets();
      return { result: 'awaiting-confirm', status: status('awaiting-confirm', 't1', 't1') };
    });
    expect(outcome.result).toBe('awaiting-confirm');
    expect(seen).toEqual({ onDisk: ['t1'], inEffect: CHAIN_TARGETS });
  });

  it('does not keep a package the engine refuses: a later package with its id and another digest brings its own neighbours', async () => {
    const { neighbours, targets, store } = await started();
    await neighbours.receive(await pkg('t1', TRIANGLE), engineSays('refused'));
    const later = await pkg('t1', CHAIN);
    await neighbours.receive(later, taken);
    neighbours.follow(status('awaiting-confirm', 't1', 't1'));
    expect(targets()).toEqual(CHAIN_TARGETS);
    await neighbours.settled();
    expect(store.saved()?.topologies.map((t) => [t.topologyId, t.digest])).toEqual([['t1', later.digest]]);
  });

  it("keeps the running topology's neighbours, also after a restart, when a refused package reuses its id", async () => {
    const store = memoryStore();
    const first = await chainDeployed(store);
    await first.neighbours.receive(await pkg('t1', TRIANGLE), engineSays('refused'));
    expect(first.targets()).toEqual(CHAIN_TARGETS);
    await first.neighbours.settled();

    const second = setup(store);
    await second.neighbours.load();
    second.neighbours.follow(status('deployed', 't1', 't1'));
    expect(second.targets()).toEqual(CHAIN_TARGETS);
  });

  it('replaces the package kept for a topology id when the engine takes another with that id', async () => {
    const { neighbours, targets, store } = await started();
    await neighbours.receive(await pkg('t1', CHAIN), taken);
    neighbours.follow(status('deployed', 't1', 't1'));
    await neighbours.receive(await pkg('t2', CHAIN), taken);
    neighbours.follow(status('deployed', 't2', 't2'));
    // Newer than t2, so the engine takes it, though t1 was seen before with another digest.
    const again = await pkg('t1', TRIANGLE);
    await neighbours.receive(again, async () => {
      neighbours.follow(status('deploying', 't1', 't2'));
      neighbours.follow(status('awaiting-confirm', 't1', 't1'));
      return { result: 'awaiting-confirm', status: status('awaiting-confirm', 't1', 't1') };
    });
    expect(targets()).toEqual(TRIANGLE_TARGETS);
    await neighbours.settled();
    expect(store.saved()?.topologies.map((t) => [t.topologyId, t.digest])).toEqual([
      ['t2', expect.any(String)],
      ['t1', again.digest],
    ]);
  });

  it('gives refused packages no place among the recent ones', async () => {
    const { neighbours, store } = await started();
    await neighbours.receive(await pkg('t0', CHAIN), taken);
    neighbours.follow(status('deployed', 't0', 't0'));
    for (let i = 1; i <= 4; i++) {
      await neighbours.receive(await pkg(`t${i}`, CHAIN), taken);
      neighbours.follow(status('failed', `t${i}`, 't0'));
    }
    for (let i = 5; i < 12; i++) await neighbours.receive(await pkg(`t${i}`, TRIANGLE), engineSays('refused'));
    await neighbours.settled();
    expect(store.saved()?.topologies.map((t) => t.topologyId)).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });

  it('reports a corrupt file and starts from the configured neighbours', async () => {
    const { neighbours, targets } = setup(memoryStore('topologies: expected an array'));
    expect(await neighbours.load()).toMatch(/corrupt \(topologies: expected an array\); kept the file as \/x\.corrupt/);
    neighbours.follow(status('deployed', 't1', 't1'));
    expect(targets()).toEqual(CONFIGURED);
  });
});
