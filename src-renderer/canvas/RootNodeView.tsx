// A root on the canvas: its name (the grip it is moved by), overlay, cloud and internet address, clients and leaves (a
// group that opens to show each leaf), how it differs from the deployed overlay, while logged in its status and clients
// connected of its capacity, and while a deploy's nodes report how far it has got; zoomed out, a compact card of its
// name, status and clients, and further out a block in its status's colour and icon (levelOfDetail.ts). The rest of it
// is the handle a tunnel is dragged from and dropped on.
import { Handle, Position, useStore } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { DEPLOY_LOOK } from '../overlay/deployProgress.ts';
import type { RootProgress } from '../overlay/deployProgress.ts';
import type { NodeLook } from '../overlay/graphStatus.ts';
import type { OverlayStoreState } from '../overlay/overlayStore.ts';
import { STATUS_LOOK } from '../overlay/nodeStatus.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectHasStatus } from '../overlay/overlaySelectors.ts';
import { CLOUD_WORDS } from '../panels/cloudWords.ts';
import { StateBadge } from '../panels/StateBadge.tsx';
import { connectedText } from './connectedText.ts';
import { LeavesGroup } from './LeavesGroup.tsx';
import type { Detail } from './levelOfDetail.ts';
import { selectDetail } from './levelOfDetail.ts';
import type { RootNode, RootNodeData } from './toFlow.ts';
import { CENTRE_HANDLE } from './toFlow.ts';

const MARK_WORDS = { added: 'new', changed: 'changed', deleted: 'deleted' } as const;
const CONNECT_HINT = 'Drag onto another root to add a tunnel';

/** What a far root (a block with its status's icon) says on hover: all it would show closer, in a line. */
function farTitle(data: RootNodeData, status: NodeLook | undefined, statusRead: boolean, progress: RootProgress | undefined): string {
  const look = status && STATUS_LOOK[status.status];
  return [
    `${data.name}${data.change === null ? '' : ` (${MARK_WORDS[data.change]})`}`,
    look ? `${look.word}${status?.reason ? `: ${status.reason}` : ''}` : statusRead ? 'not deployed yet' : null,
    status?.clients === undefined ? null : connectedText(status.clients, data.maxClients),
    progress?.state === undefined ? null : `deploy: ${DEPLOY_LOOK[progress.state].word}`,
  ]
    .filter((part) => part !== null)
    .join(' · ');
}

/** Far out: the grip as a band, the status's icon (and a deploy's) as large as the block allows; no text to lay out. */
function FarContent({ data, status, statusRead, progress }: { data: RootNodeData; status: NodeLook | undefined; statusRead: boolean; progress: RootProgress | undefined }) {
  const look = status && STATUS_LOOK[status.status];
  const deploy = progress?.state === undefined ? undefined : DEPLOY_LOOK[progress.state];
  return (
    <>
      <div className="root-node-grip" title="Drag here to move this root" />
      {look ? (
        <div className={`root-node-status tone-${look.tone}`} data-testid="root-status" role="img" aria-label={look.word}>
          {look.icon}
        </div>
      ) : (
        statusRead && <div className="root-node-status muted" role="img" aria-label="not deployed yet" />
      )}
      {deploy && (
        <div className={`root-node-deploy tone-${deploy.tone}`} data-testid="root-deploy" role="img" aria-label={`deploy: ${deploy.word}`}>
          {deploy.icon}
        </div>
      )}
      <Handle type="source" position={Position.Top} className="root-node-connect" title={farTitle(data, status, statusRead, progress)} />
    </>
  );
}

/** Closer: the name, and the rest as the zoom allows (compact: status and clients only). */
function CardContent({ data, status, statusRead, progress, compact }: { data: RootNodeData; status: NodeLook | undefined; statusRead: boolean; progress: RootProgress | undefined; compact: boolean }) {
  return (
    <>
      <div className="root-node-grip" title="Drag the name to move this root; drag from anywhere else on it to another root to add a tunnel">
        <span className="root-node-name">{data.name}</span>
        {data.change !== null && <span className={`root-node-mark mark-${data.change}`}>{MARK_WORDS[data.change]}</span>}
      </div>
      {!compact && <Details data={data} />}
      <StatusLine status={status} statusRead={statusRead} compact={compact} />
      {status?.clients !== undefined && (
        <div className="root-node-clients" data-testid="root-clients">
          {connectedText(status.clients, data.maxClients)}
        </div>
      )}
      <DeployLine progress={progress} compact={compact} />
      {!compact && <LeavesGroup leaves={data.leaves} />}
      {/* The handle lies over the status line, so the failure's reason shows when hovering over it. */}
      <Handle type="source" position={Position.Top} className="root-node-connect" title={status?.reason ? `${STATUS_LOOK[status.status].word}: ${status.reason}` : CONNECT_HINT} />
    </>
  );
}

const DETAIL_CLASS: Record<Detail, string> = { full: '', compact: ' compact', far: ' far' };

function StatusLine({ status, statusRead, compact }: { status: NodeLook | undefined; statusRead: boolean; compact: boolean }) {
  if (!status) return statusRead && <div className="root-node-status muted">not deployed yet</div>;
  return (
    <div className="root-node-status" data-testid="root-status">
      <StateBadge look={STATUS_LOOK[status.status]} />
      {!compact && ` · ${status.leavesText}`}
    </div>
  );
}

function DeployLine({ progress, compact }: { progress: RootProgress | undefined; compact: boolean }) {
  if (progress?.state === undefined) return null;
  return (
    <div className="root-node-deploy" data-testid="root-deploy">
      deploy: <StateBadge look={DEPLOY_LOOK[progress.state]} />
      {!compact && progress.leavesText !== '' && ` · ${progress.leavesText}`}
    </div>
  );
}

function Details({ data }: { data: RootNodeData }) {
  return (
    <>
      <div className="root-node-overlay">{data.overlay}</div>
      <div className="root-node-cloud">
        {CLOUD_WORDS[data.cloud]} · {data.internetAddress}
        {data.natted && ' · NATed'}
      </div>
      <div className="root-node-counts">
        {data.maxClients} clients · {data.leaves.length} {data.leaves.length === 1 ? 'leaf' : 'leaves'}
      </div>
      {data.change === 'deleted' && <div className="root-node-deleted">deleted: removed at the next deploy</div>}
    </>
  );
}

/**
 * The handle covers the whole root, above its text, so a tunnel starts from anywhere on a root and ends anywhere on
 * another (loose connection mode: any handle may end a tunnel). Only the name row, above the handle, moves the root.
 * A second handle, over the root's top half (beside the card, so that it starts at the root's very corner), marks the
 * root's centre by its bottom middle: React Flow hands that place to each tunnel's edge, so that an edge need not watch
 * its roots itself (1,000 edges watching 500 roots cost a drag 2,000 checks per frame); it is never in the pointer's way.
 */
export const RootNodeView = memo(function RootNodeView({ id, data, selected }: NodeProps<RootNode>) {
  // Each node reads only its own entries, which keep their identity while unchanged: a status read redraws the nodes it changed.
  const status = useOverlay(useCallback((s: OverlayStoreState) => s.graphStatus.get(id), [id]));
  const progress = useOverlay(useCallback((s: OverlayStoreState) => s.rootProgress.get(id), [id]));
  const statusRead = useOverlay(selectHasStatus);
  const detail = useStore(selectDetail);
  const tone = status ? ` status-${STATUS_LOOK[status.status].tone}` : '';
  const change = data.change === null ? '' : ` change-${data.change}`;
  return (
    <>
      <div className={`root-node${DETAIL_CLASS[detail]}${selected ? ' selected' : ''}${tone}${change}${data.change === 'deleted' ? ' deleted' : ''}`} data-testid="root-node">
        {detail === 'far' ? (
          <FarContent data={data} status={status} statusRead={statusRead} progress={progress} />
        ) : (
          <CardContent data={data} status={status} statusRead={statusRead} progress={progress} compact={detail === 'compact'} />
        )}
      </div>
      <Handle type="source" id={CENTRE_HANDLE} position={Position.Bottom} className="root-node-centre" />
    </>
  );
});
