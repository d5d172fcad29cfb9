// The application's agent client for one node of an overlay: HTTPS pinned to the overlay's control CA and the node's name.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { createAgentClient } from '../agentClient/agentClient.ts';
import type { AgentClient, AgentClientOptions } from '../agentClient/agentClient.ts';
import { createHttpsTransport } from '../agentClient/httpsTransport.ts';
import type { HttpsTransportOptions } from '../agentClient/httpsTransport.ts';

export interface NodeClientOptions extends AgentClientOptions {
  transport?: Omit<HttpsTransportOptions, 'node' | 'url' | 'caPem'>;
}

/** Throws for a node the access file does not list: callers name nodes they took from it. */
export function nodeClient(access: OverlayAccess, node: string, options: NodeClientOptions = {}): AgentClient {
  const entry = access.nodes[node];
  if (!entry) throw new Error(`${node} is not a node of overlay "${access.name}"`);
  const { transport, ...client } = options;
  return createAgentClient(createHttpsTransport({ ...transport, node, url: entry.url, caPem: access.controlCaPem }), client);
}
