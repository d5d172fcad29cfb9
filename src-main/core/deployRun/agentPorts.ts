// The TCP port each node's agent listens on, as the overlay access reaches it: what its firewall keeps open.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';

/** The port of an agent's `https://host[:port]` address; 443 when it names none. */
export function portOfAgentUrl(url: string): number {
  const { port } = new URL(url);
  return port === '' ? 443 : Number(port);
}

/** Every node of the access, by name. */
export function agentPortsByNode(access: OverlayAccess): Record<string, number> {
  return Object.fromEntries(Object.entries(access.nodes).map(([node, { url }]) => [node, portOfAgentUrl(url)]));
}
