// A root on the canvas: its name, overlay, clients and leaves, with the handle a tunnel is dragged from; while logged in,
// its status with its leaves', and while a deploy's nodes report, how far it and its leaves have got; struck through when
// deleted but still deployed.
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { DEPLOY_LOOK } from '../overlay/deployProgress.ts';
import { STATUS_LOOK } from '../overlay/nodeStatus.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectStatus } from '../overlay/overlaySelectors.ts';
import { StateBadge } from '../panels/StateBadge.tsx';
import type { RootNode } from './toFlow.ts';

export const RootNodeView = memo(function RootNodeView({ id, data, selected }: NodeProps<RootNode>) {
  // Each node reads only its own entries, so a status read redraws the nodes whose status it changed.
  const status = useOverlay((s) => s.rootStatus.get(id));
  const progress = useOverlay((s) => s.rootProgress.get(id));
  const loggedIn = useOverlay(selectStatus) !== null;
  const tone = status ? ` status-${STATUS_LOOK[status.root.status].tone}` : '';
  return (
    <div className={`root-node${selected ? ' selected' : ''}${tone}${data.deleted ? ' deleted' : ''}`} data-testid="root-node">
      <Handle type="target" position={Position.Top} />
      <div className="root-node-name">{data.name}</div>
      <div className="root-node-overlay">{data.overlay}</div>
      <div className="root-node-counts">
        {data.maxClients} clients · {data.leaves} {data.leaves === 1 ? 'leaf' : 'leaves'}
      </div>
      {data.deleted && <div className="root-node-deleted">deleted: removed at the next deploy</div>}
      {status ? (
        <div className="root-node-status" data-testid="root-status">
          <StateBadge look={STATUS_LOOK[status.root.status]} /> · {status.leavesText}
        </div>
      ) : (
        loggedIn && <div className="root-node-status muted">not deployed yet</div>
      )}
      {progress?.state !== undefined && (
        <div className="root-node-deploy" data-testid="root-deploy">
          deploy: <StateBadge look={DEPLOY_LOOK[progress.state]} />
          {progress.leavesText !== '' && ` · ${progress.leavesText}`}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
