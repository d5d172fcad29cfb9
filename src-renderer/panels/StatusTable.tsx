// Nodes with their status, when each was last heard, the topology each runs and why a failed one failed; with
// `onRevoke`, each leaf that runs a deployed topology can have its certificate revoked (after asking).
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import type { RootNames } from '../overlay/nodeLabel.ts';
import { nodeLabel } from '../overlay/nodeLabel.ts';
import { heartbeatAge, STATUS_LOOK } from '../overlay/nodeStatus.ts';
import { StateBadge } from './StateBadge.tsx';
import { ConfirmButton } from '../dialogs/ConfirmButton.tsx';

export function StatusTable({ rows, readAt, names, onRevoke }: { rows: readonly NodeStatusRowView[]; readAt: number; names: RootNames; onRevoke?: (leaf: string) => void }) {
  return (
    <table className="status-table">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Status</th>
          <th scope="col">Last heard</th>
          <th scope="col">Topology it runs</th>
          {onRevoke && <th scope="col">Certificate</th>}
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
            {onRevoke && (
              <td>
                {row.kind === 'leaf' && row.topologyId !== null && (
                  <ConfirmButton
                    label="Revoke…"
                    title={`Revoke ${nodeLabel(row.name, names)}'s certificates?`}
                    message="The next deploy puts them on its cloud's revocation list, which every server of that cloud checks, and gives the leaf new ones: a copy of the old ones no longer connects."
                    confirmLabel="Revoke at the next deploy"
                    onConfirm={() => onRevoke(row.name)}
                  />
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
