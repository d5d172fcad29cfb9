// Whether a tunnel its SAs call up still carries packets: a ping from this root's own overlay address to the peer's,
// which only that tunnel's CHILD_SA carries. A cut path leaves the SAs up until DPD gives up (minutes: 30 s of silence,
// then five retransmissions); the probe tells within a few seconds.
import type { TunnelState } from '../../src-shared/protocol/messages.ts';

/** One ping, from `source` to `target`, true when answered in time. */
export type Ping = (source: string, target: string) => Promise<boolean>;

/** Probes in a row that must go unanswered before a tunnel the SAs call up is reported down: one lost packet is no cut. */
export const PROBE_FAILURES_TO_DOWN = 2;

export interface TunnelProbe {
  /** `states` as the SAs tell them, with each `up` tunnel whose probes failed PROBE_FAILURES_TO_DOWN times in a row turned `down`. */
  check(states: readonly TunnelState[], ownAddress: string, peerAddress: (peer: number) => string | undefined): Promise<TunnelState[]>;
}

export function createTunnelProbe(ping: Ping, failuresToDown = PROBE_FAILURES_TO_DOWN): TunnelProbe {
  /** Unanswered probes in a row, by peer. */
  const failures = new Map<number, number>();
  return {
    async check(states, ownAddress, peerAddress) {
      return Promise.all(
        states.map(async (tunnel): Promise<TunnelState> => {
          const target = peerAddress(tunnel.peer);
          if (tunnel.state !== 'up' || target === undefined) {
            failures.delete(tunnel.peer);
            return tunnel;
          }
          const failed = (await ping(ownAddress, target)) ? 0 : (failures.get(tunnel.peer) ?? 0) + 1;
          failures.set(tunnel.peer, failed);
          return failed >= failuresToDown ? { peer: tunnel.peer, state: 'down' } : tunnel;
        }),
      );
    },
  };
}
