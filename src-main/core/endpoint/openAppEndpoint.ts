// Builds the application's one Endpoint from its cores, for whichever transport serves it (Electron IPC or the loopback host).
import type { Endpoint } from '../../../src-shared/contract/transport.ts';
import type { AgentClient } from '../agentClient/agentClient.ts';
import { auditCore } from '../audit/auditCore.ts';
import { systemTimers } from '../agentClient/timers.ts';
import type { Timers } from '../agentClient/timers.ts';
import { appStateDir } from '../deployRun/overlayState.ts';
import { nodeClient } from '../overlayAccess/nodeClient.ts';
import type { OpenedOverlay, OverlayCore, OverlayCoreOptions } from '../overlayApp/overlayCore.ts';
import { createOverlayCore } from '../overlayApp/overlayCore.ts';
import { openTopologyStore } from '../topologyStore/topologyStore.ts';
import type { TopologyStore } from '../topologyStore/topologyStore.ts';
import { combineCores, serve } from './serve.ts';
import { topologyCore } from './topologyCore.ts';
import { reachabilityCore } from '../reachability/reachabilityCore.ts';
import type { FileDialogs } from '../topologyFile/topologyFileCore.ts';
import { topologyFileCore } from '../topologyFile/topologyFileCore.ts';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { clientMachinesCore } from '../clientMachines/clientMachinesCore.ts';
import { readFirstBootTemplate } from '../clientMachines/readFirstBootTemplate.ts';

export interface AppEndpoint {
  endpoint: Endpoint;
  store: TopologyStore;
  overlay: OverlayCore;
  /** Logs out and stops the overlay's polls. */
  close(): Promise<void>;
}

export interface AppEndpointOptions {
  /** Holds the pending topology; a corrupt one is kept aside and reported through `topology.get`. */
  stateFile: string;
  /** The overlay to log in to and deploy to; null when none is configured. */
  overlay?: OpenedOverlay | null;
  /** The application's state folder (default $XDG_STATE_HOME/raincoat). */
  stateDir?: string;
  clientFor?: (access: OverlayAccess, node: string) => AgentClient;
  now?: () => number;
  timers?: Timers;
  overlayOptions?: Pick<OverlayCoreOptions, 'statusPollMs' | 'idleMs' | 'warnMs' | 'deployOptions'>;
  /** The platform's file dialogs (Electron's); none in the loopback host, whose browser reads and downloads files itself. */
  fileDialogs?: FileDialogs;
}

/** Calls that only read: they do not count as the administrator being active. */
const READS = new Set(['topology.get', 'topology.diff', 'overlay.get', 'reachability.get', 'reachability.without']);

export async function openAppEndpoint(options: AppEndpointOptions): Promise<AppEndpoint> {
  const store = await openTopologyStore({ file: options.stateFile });
  const clientFor = options.clientFor ?? ((access: OverlayAccess, node: string) => nodeClient(access, node));
  const overlay = createOverlayCore({
    overlay: options.overlay ?? null,
    store,
    stateDir: options.stateDir ?? appStateDir(),
    clientFor,
    now: options.now ?? Date.now,
    timers: options.timers ?? systemTimers,
    ...options.overlayOptions,
  });
  const served = serve(
    combineCores([
      topologyCore(store, { editingBlocked: overlay.editingBlocked }),
      topologyFileCore(store, { dialogs: options.fileDialogs ?? null }),
      overlay.part,
      auditCore(() => overlay.currentSession()),
      reachabilityCore(() => store.pending()),
      clientMachinesCore({ access: options.overlay?.access ?? null, currentSession: () => overlay.currentSession(), clientFor, template: () => readFirstBootTemplate() }),
    ]),
  );
  const endpoint: Endpoint = {
    dispatch(name, input) {
      if (!READS.has(name)) overlay.noteActivity();
      return served.dispatch(name, input);
    },
    subscribe: (listener) => served.subscribe(listener),
  };
  return { endpoint, store, overlay, close: () => overlay.close() };
}
