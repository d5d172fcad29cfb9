// Nodes with their status, when each was last heard, the topology each runs and why a failed one failed.
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import type { RootNames } from '../overlay/nodeLabel.ts';
import { nodeLabel } from '../overlay/nodeLabel.ts';
import { heartbeatAge, STATUS_LOOK } from '../overlay/nodeStatus.ts';
import { StateBadge } from './StateBadge.tsx';

export function StatusTable({ rows, readAt, names }: { rows: readonly NodeStatusRowView[]; readAt: number; names: RootNames }) {
  return (
    <table className="status-table">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Status</th>
          <th scope="col">Last heard</th>
          <th scope="col">Topology it runs</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} data-node={row.name}>
            <td>{nodeLabel(row.name, names)}</td>
            <td>
              <StateBadge look={STATUS_LOOK[row.status]} />
              {row.reason !== undefined && <div className="reason">{row.reason}</div>}
            </td>
            <td>{heartbeatAge(row.lastHeartbeat, readAt)}</td>
            <td className="topology-id">{row.topologyId ?? 'none yet'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
