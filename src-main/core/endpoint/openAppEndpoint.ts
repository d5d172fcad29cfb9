// Builds the application's one Endpoint from its cores, for whichever transport serves it (Electron IPC or the loopback host).
import type { Endpoint } from '../../../src-shared/contract/transport.ts';
import { openTopologyStore } from '../topologyStore/topologyStore.ts';
import type { TopologyStore } from '../topologyStore/topologyStore.ts';
import { serve } from './serve.ts';
import { topologyCore } from './topologyCore.ts';

export interface AppEndpoint {
  endpoint: Endpoint;
  store: TopologyStore;
}

/** `stateFile` holds the pending topology; a corrupt one is kept aside and reported through `topology.get`. */
export async function openAppEndpoint(stateFile: string): Promise<AppEndpoint> {
  const store = await openTopologyStore({ file: stateFile });
  return { endpoint: serve(topologyCore(store)), store };
}
