// A root on the canvas: its name (the grip it is moved by), overlay, cloud and internet address, clients and leaves (a
// group that opens to show each leaf), how it differs from the deployed overlay, while logged in its status, and while a
// deploy's nodes report how far it has got; the rest of it is the handle a tunnel is dragged from and dropped on.
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { DEPLOY_LOOK } from '../overlay/deployProgress.ts';
import type { OverlayStoreState } from '../overlay/overlayStore.ts';
import { STATUS_LOOK } from '../overlay/nodeStatus.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectHasStatus } from '../overlay/overlaySelectors.ts';
import { CLOUD_WORDS } from '../panels/cloudWords.ts';
import { StateBadge } from '../panels/StateBadge.tsx';
import { LeavesGroup } from './LeavesGroup.tsx';
import type { RootNode } from './toFlow.ts';

const MARK_WORDS = { added: 'new', changed: 'changed', deleted: 'deleted' } as const;
const CONNECT_HINT = 'Drag onto another root to add a tunnel';

/**
 * The handle covers the whole root, above its text, so a tunnel starts from anywhere on a root and ends anywhere on
 * another (loose connection mode: any handle may end a tunnel). Only the name row, above the handle, moves the root.
 */
export const RootNodeView = memo(function RootNodeView({ id, data, selected }: NodeProps<RootNode>) {
  // Each node reads only its own entries, which keep their identity while unchanged: a status read redraws the nodes it changed.
  const status = useOverlay(useCallback((s: OverlayStoreState) => s.graphStatus.get(id), [id]));
  const progress = useOverlay(useCallback((s: OverlayStoreState) => s.rootProgress.get(id), [id]));
  const statusRead = useOverlay(selectHasStatus);
  const tone = status ? ` status-${STATUS_LOOK[status.status].tone}` : '';
  const change = data.change === null ? '' : ` change-${data.change}`;
  return (
    <div className={`root-node${selected ? ' selected' : ''}${tone}${change}${data.change === 'deleted' ? ' deleted' : ''}`} data-testid="root-node">
      <div className="root-node-grip" title="Drag the name to move this root; drag from anywhere else on it to another root to add a tunnel">
        <span className="root-node-name">{data.name}</span>
        {data.change !== null && <span className={`root-node-mark mark-${data.change}`}>{MARK_WORDS[data.change]}</span>}
      </div>
      <div className="root-node-overlay">{data.overlay}</div>
      <div className="root-node-cloud">
        {CLOUD_WORDS[data.cloud]} · {data.internetAddress}
        {data.natted && ' · NATed'}
      </div>
      <div className="root-node-counts">
        {data.maxClients} clients · {data.leaves.length} {data.leaves.length === 1 ? 'leaf' : 'leaves'}
      </div>
      {data.change === 'deleted' && <div className="root-node-deleted">deleted: removed at the next deploy</div>}
      {status ? (
        <div className="root-node-status" data-testid="root-status">
          <StateBadge look={STATUS_LOOK[status.status]} /> · {status.leavesText}
        </div>
      ) : (
        statusRead && <div className="root-node-status muted">not deployed yet</div>
      )}
      {progress?.state !== undefined && (
        <div className="root-node-deploy" data-testid="root-deploy">
          deploy: <StateBadge look={DEPLOY_LOOK[progress.state]} />
          {progress.leavesText !== '' && ` · ${progress.leavesText}`}
        </div>
      )}
      <LeavesGroup leaves={data.leaves} />
      {/* The handle lies over the status line, so the failure's reason shows when hovering over it. */}
      <Handle type="source" position={Position.Top} className="root-node-connect" title={status?.reason ? `${STATUS_LOOK[status.status].word}: ${status.reason}` : CONNECT_HINT} />
    </div>
  );
});
