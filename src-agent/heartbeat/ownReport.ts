// This node's own status in its heartbeat, as its deploy engine knows it and its backend measures it.
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import type { HeartbeatBody } from '../../src-shared/protocol/messages.ts';

/** What a node says of itself in a heartbeat; the emitter adds the interval, a root's leaves and its credential. */
export type OwnReport = Omit<HeartbeatBody, 'intervalMs' | 'leaves' | 'adminCredential'>;

/** The deploy state, with what the backend measured (tunnels, clients) where it could tell. */
export function ownReport(status: DeployStatus, measured: Pick<OwnReport, 'clientsConnected' | 'tunnels'> = {}): OwnReport {
  return { ...deployReport(status), ...measured };
}

function deployReport(status: DeployStatus): OwnReport {
  const running = status.runningTopologyId ?? null;
  switch (status.state) {
    case 'idle':
      return { state: 'pending', topologyId: null };
    case 'deploying':
      return { state: 'deploying', topologyId: running };
    // Applied and in effect; the application confirms once it still reaches every node.
    case 'awaiting-confirm':
    case 'deployed':
      return { state: 'alive', topologyId: status.topologyId ?? running };
    case 'failed':
      return { state: 'failed', reason: (status.reason ?? 'failed').slice(0, 500), topologyId: running };
    case 'removed':
      return { state: 'pending', topologyId: null };
  }
}
