// The overlay's status in the side panel: a root with its leaves when a root is selected, every node otherwise.
import { useDeferredValue, useMemo, useState } from 'react';
import { useEditor } from '../store/EditorContext.tsx';
import { selectTopology } from '../store/selectors.ts';
import { rootNames } from '../overlay/nodeLabel.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectOverlayActions, selectRootStatus, selectStatus } from '../overlay/overlaySelectors.ts';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { StatusTable } from './StatusTable.tsx';

/**
 * How many rows show until asked for all: 2,500 rows rewritten on every status read (each one's "last heard") took the
 * page some 250 ms of layout per read (the canvas benchmark's profile); the graph shows every node's status anyway.
 */
const ROWS_AT_ONCE = 100;

/** `rootId` null: every node of the overlay. Nothing while logged out (there is no status to show). */
export function OverlayStatus({ rootId }: { rootId: number | null }) {
  // Drawn after what cannot wait (the graph beside it, a click): its first drawing waits for the graph's first picture,
  // each status read redraws the graph first.
  const status = useDeferredValue(useOverlay(selectStatus), null);
  const byRoot = useOverlay(selectRootStatus);
  const actions = useOverlay(selectOverlayActions);
  const topology = useEditor(selectTopology);
  const names = useMemo(() => rootNames(topology), [topology]);
  const [all, setAll] = useState(false);
  if (status === null) return null;
  const root = rootId === null ? undefined : byRoot.get(rootNodeName(rootId));
  const rows = rootId === null ? status.nodes : root ? [root.root, ...root.leaves] : [];
  const title = rootId === null ? 'Status of the overlay' : `Status of ${names.get(rootId) ?? rootNodeName(rootId)}`;
  return (
    <section className="overlay-status" aria-label={title}>
      <h3>{rootId === null ? 'The overlay' : 'Status'}</h3>
      {rows.length === 0 ? (
        <p className="muted">Not in the overlay yet: the next deploy brings it in.</p>
      ) : (
        <>
          {root && <p className="muted">{root.leavesText}</p>}
          <StatusTable rows={all ? rows : rows.slice(0, ROWS_AT_ONCE)} readAt={status.readAt} names={names} onRevoke={rootId === null ? undefined : (leaf) => void actions.revoke(leaf)} />
          {!all && rows.length > ROWS_AT_ONCE && (
            <button type="button" onClick={() => setAll(true)}>
              Show all {rows.length} nodes
            </button>
          )}
        </>
      )}
    </section>
  );
}
