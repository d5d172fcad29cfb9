// The loopback host for the canvas benchmark: the built renderer and the real topology core on a synthetic topology
// (marked deployed, so nothing shows as pending), with an overlay that is logged in and whose roots' statuses, tunnels'
// states and leaves' clients all flip (alive and up, down) once a second while asked to; no agents, no sandbox.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OverlayState } from '../src-shared/contract/overlayContract.ts';
import { callNames } from '../src-shared/contract/contract.ts';
import type { CallName } from '../src-shared/contract/contract.ts';
import { leafNodeName, rootNodeName } from '../src-shared/plan/nodeNames.ts';
import { planAddresses } from '../src-shared/plan/planAddresses.ts';
import type { NodeState } from '../src-shared/protocol/messages.ts';
import type { Topology } from '../src-shared/topology/schemas.ts';
import type { Emit, Handlers } from '../src-main/core/endpoint/serve.ts';
import { combineCores, serve } from '../src-main/core/endpoint/serve.ts';
import { topologyCore } from '../src-main/core/endpoint/topologyCore.ts';
import { openTopologyStore } from '../src-main/core/topologyStore/topologyStore.ts';
import { startWsHost } from '../src-main/host/wsHost.ts';

export interface CanvasHost {
  /** The page to open, token included. */
  url: string;
  /** Starts or stops every root's status, tunnel's state and leaf's clients flipping once a second; `flips` counts the status reads sent. */
  flipStatuses(on: boolean): void;
  flips(): number;
  close(): Promise<void>;
}

const FLIP_MS = 1000;

export async function startCanvasHost(topology: Topology): Promise<CanvasHost> {
  const work = await mkdtemp(path.join(tmpdir(), 'canvas-bench-'));
  const store = await openTopologyStore({ file: path.join(work, 'pending-topology.json') });
  const saved = await store.save(topology);
  if (!saved.ok) throw new Error(`the synthetic topology was refused: ${saved.reason}`);
  await store.markDeployed(store.pending());

  const leaves = planAddresses(topology).roots.flatMap((r) => r.leaves.map((l) => ({ rootId: r.rootId, index: l.index })));
  const peers = new Map(topology.roots.map((r) => [r.id, topology.tunnels.flatMap((t) => (t.a === r.id ? [t.b] : t.b === r.id ? [t.a] : []))]));
  let revision = 1;
  let flipped = 0;
  const overlayState = (): OverlayState => {
    const now = Date.now();
    const up = flipped % 2 === 0;
    const rootStatus: NodeState = up ? 'alive' : 'down';
    const tunnels = (id: number) => (peers.get(id) ?? []).map((peer) => ({ peer, state: up ? ('up' as const) : ('down' as const) }));
    return {
      overlay: { name: 'canvas-bench', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: topology.roots.length + leaves.length },
      session: { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: now + 3_600_000, expiring: false },
      status: {
        nodes: [
          ...topology.roots.map((r) => ({ id: r.id, kind: 'root' as const, name: rootNodeName(r.id), status: rootStatus, lastHeartbeat: now, topologyId: 't1', tunnels: tunnels(r.id) })),
          ...leaves.map((l) => ({
            id: `${l.rootId}-${l.index}`,
            kind: 'leaf' as const,
            name: leafNodeName(l.rootId, l.index),
            status: 'alive' as const,
            lastHeartbeat: now,
            topologyId: 't1',
            clientsConnected: up ? 40 : 35,
          })),
        ],
        readAt: now,
        problem: null,
      },
      deploy: null,
      keys: 'open',
      revision,
    };
  };

  let emitOverlay: Emit | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const topologyPart = topologyCore(store);
  // The benchmark only draws: every other call says so.
  const absent = Object.fromEntries(
    callNames
      .filter((name) => name !== 'overlay.get' && !(name in topologyPart.handlers))
      .map((name: CallName) => [name, async () => Promise.reject(new Error(`${name} is not part of the canvas benchmark`))]),
  ) as Partial<Handlers>;
  const core = combineCores([
    topologyPart,
    { handlers: { ...absent, 'overlay.get': async () => overlayState() }, subscribe: (emit) => ((emitOverlay = emit), () => (emitOverlay = undefined)) },
  ]);
  const host = await startWsHost({ endpoint: serve(core), staticFolder: fileURLToPath(new URL('../dist/renderer/', import.meta.url)) });

  return {
    url: host.url,
    flipStatuses(on) {
      clearInterval(timer);
      timer = on
        ? setInterval(() => {
            flipped++;
            revision++;
            emitOverlay?.('overlay.didChange', overlayState());
          }, FLIP_MS)
        : undefined;
    },
    flips: () => flipped,
    async close() {
      clearInterval(timer);
      await host.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
