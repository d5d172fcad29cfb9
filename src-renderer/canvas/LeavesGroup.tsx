// A root's leaves as a group: closed, one button; open, each leaf with its client subnet, clients (connected ones once
// a status says) and status (a failed one's reason on hover: the list lies above the root's tunnel handle).
import { memo, useCallback, useState } from 'react';
import { STATUS_LOOK } from '../overlay/nodeStatus.ts';
import type { OverlayStoreState } from '../overlay/overlayStore.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { StateBadge } from '../panels/StateBadge.tsx';
import { connectedText } from './connectedText.ts';
import type { LeafData } from './toFlow.ts';

function LeafRow({ leaf }: { leaf: LeafData }) {
  const status = useOverlay(useCallback((s: OverlayStoreState) => s.graphStatus.get(leaf.name), [leaf.name]));
  return (
    <li className="leaf" data-node={leaf.name}>
      <span className="leaf-name">{leaf.name}</span> <span className="leaf-subnet">{leaf.subnet}</span>{' '}
      <span className="leaf-clients">{status?.clients === undefined ? `up to ${leaf.maxClients} clients` : connectedText(status.clients, leaf.maxClients)}</span>
      {status && (
        <span className="leaf-status" title={status.reason}>
          {' '}
          <StateBadge look={STATUS_LOOK[status.status]} />
        </span>
      )}
    </li>
  );
}

/** Open or closed is this view's own: it changes nothing in the topology. */
export const LeavesGroup = memo(function LeavesGroup({ leaves }: { leaves: readonly LeafData[] }) {
  const [open, setOpen] = useState(false);
  if (leaves.length === 0) return null;
  return (
    <div className="leaves-group">
      <button type="button" className="leaves-toggle nodrag" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide leaves' : 'Show leaves'}
      </button>
      {open && (
        <ul className="leaves">
          {leaves.map((leaf) => (
            <LeafRow key={leaf.name} leaf={leaf} />
          ))}
        </ul>
      )}
    </div>
  );
});
