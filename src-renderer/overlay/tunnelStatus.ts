// Each tunnel's state as the graph draws it, by tunnel name (`tunnel-1-2`), from what the roots at its two ends report
// of their IPsec tunnels; pure.
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import { parseNodeName, tunnelName } from '../../src-shared/plan/nodeNames.ts';
import type { Look } from './nodeStatus.ts';

export type TunnelState = 'up' | 'connecting' | 'down';

export const TUNNEL_LOOK: Record<TunnelState, Look> = {
  up: { icon: '●', word: 'up', tone: 'good' },
  connecting: { icon: '⟳', word: 'connecting', tone: 'busy' },
  down: { icon: '▼', word: 'down', tone: 'warn' },
};

/**
 * One tunnel from its two ends' words: down when either says down, up when both say up, unknown (undefined) when
 * neither says. An IPsec tunnel is one security association shared by its ends, so where only one end's backend can
 * tell, that end's word stands for the tunnel; the rest (one end still connecting) is connecting.
 */
export function tunnelState(a: TunnelState | undefined, b: TunnelState | undefined): TunnelState | undefined {
  if (a === 'down' || b === 'down') return 'down';
  if (a === undefined || b === undefined) return a ?? b;
  return a === 'up' && b === 'up' ? 'up' : 'connecting';
}

/** Every tunnel some root reports, with its state; a tunnel no root reports is not in the map. */
export function tunnelStatus(rows: readonly NodeStatusRowView[]): Map<string, TunnelState> {
  const ends = new Map<string, [TunnelState | undefined, TunnelState | undefined]>();
  for (const row of rows) {
    const name = parseNodeName(row.name);
    if (name?.role !== 'root' || row.tunnels === undefined) continue;
    for (const { peer, state } of row.tunnels) {
      const id = tunnelName(name.rootId, peer);
      const pair = ends.get(id) ?? [undefined, undefined];
      // The lower id's word goes first, so that each end is counted once whichever reports first.
      pair[name.rootId < peer ? 0 : 1] = state;
      ends.set(id, pair);
    }
  }
  const states = new Map<string, TunnelState>();
  for (const [id, [a, b]] of ends) {
    const state = tunnelState(a, b);
    if (state !== undefined) states.set(id, state);
  }
  return states;
}
