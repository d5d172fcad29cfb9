// A root's IPsec tunnels and their states, read from charon's connections and SAs (swanctl --list-conns / --list-sas).
import type { IkeSa } from '../../src-node/swanctlPretty.ts';
import type { TunnelState } from '../../src-shared/protocol/messages.ts';

const TUNNEL_NAME = /^tunnel-([1-9]\d{0,9})-([1-9]\d{0,9})$/;

/** The peer root of a connection named `tunnel-<a>-<b>` (tunnelName) that this root is an end of; undefined for any other. */
export function tunnelPeer(connection: string, selfRootId: number): number | undefined {
  const match = TUNNEL_NAME.exec(connection);
  if (!match) return undefined;
  const [a, b] = [Number(match[1]), Number(match[2])];
  if (a === selfRootId) return b;
  if (b === selfRootId) return a;
  return undefined;
}

/**
 * Each loaded tunnel connection's state, by peer id ascending: `up` when one of its IKE_SAs is established with an
 * installed CHILD_SA, `connecting` when it has an SA that is not that yet, `down` with none. SAs of connections no longer
 * loaded (being torn down) do not count.
 */
export function tunnelStates(connections: readonly string[], sas: readonly IkeSa[], selfRootId: number): TunnelState[] {
  const states: TunnelState[] = [];
  for (const connection of new Set(connections)) {
    const peer = tunnelPeer(connection, selfRootId);
    if (peer === undefined) continue;
    const own = sas.filter((sa) => sa.name === connection);
    const up = own.some((sa) => sa.state === 'ESTABLISHED' && sa.children.some((child) => child.state === 'INSTALLED'));
    states.push({ peer, state: up ? 'up' : own.length > 0 ? 'connecting' : 'down' });
  }
  return states.sort((x, y) => x.peer - y.peer);
}
