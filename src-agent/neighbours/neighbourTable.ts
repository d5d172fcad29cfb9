// This node's neighbours and their addresses, replaceable while running (a config reload, a deploy that changes the overlay).
import type { PeerTarget } from '../wire/peerClient.ts';

export interface NeighbourTable {
  names(): readonly string[];
  has(node: string): boolean;
  target(node: string): PeerTarget | undefined;
  replace(neighbours: readonly PeerTarget[]): void;
}

export function createNeighbourTable(initial: readonly PeerTarget[]): NeighbourTable {
  let byName = new Map<string, PeerTarget>();
  let names: readonly string[] = [];
  const table: NeighbourTable = {
    names: () => names,
    has: (node) => byName.has(node),
    target: (node) => byName.get(node),
    replace(neighbours) {
      byName = new Map(neighbours.map((n) => [n.node, { node: n.node, url: n.url }]));
      names = [...byName.keys()];
    },
  };
  table.replace(initial);
  return table;
}
