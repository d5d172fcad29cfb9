// A selected tunnel: which roots it joins, deleting it (the panel asks first) and rotating its key after asking; neither while a deploy is under way.
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { tunnelName } from '../../src-shared/plan/nodeNames.ts';
import { ConfirmButton } from '../dialogs/ConfirmButton.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import { tunnelIsDeployed } from '../store/pendingChangesText.ts';
import { selectChanges } from '../store/selectors.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked, selectLoggedIn, selectOverlayActions } from '../overlay/overlaySelectors.ts';
import { rootName, tunnelTitle } from '../overlay/nodeLabel.ts';
import { TUNNEL_LOOK } from '../overlay/tunnelStatus.ts';
import { StateBadge } from './StateBadge.tsx';

export function TunnelPanel({ topology, a, b, onDelete }: { topology: Topology; a: number; b: number; onDelete(): void }) {
  const blocked = useOverlay(selectEditingBlocked);
  const changes = useEditor(selectChanges);
  const loggedIn = useOverlay(selectLoggedIn);
  const overlay = useOverlay(selectOverlayActions);
  const state = useOverlay((s) => s.tunnelStatus.get(tunnelName(a, b)));
  const deployed = changes ? tunnelIsDeployed(changes, a, b) : false;
  const title = tunnelTitle(topology, a, b);
  return (
    <section className="tunnel-panel" aria-label={`Tunnel ${title}`}>
      <h2>{title}</h2>
      <p className="muted">
        {tunnelName(a, b)}: IPsec site-to-site, pre-shared key generated at deploy.
      </p>
      {state && (
        <p data-testid="tunnel-state">
          As its roots report it: <StateBadge look={TUNNEL_LOOK[state]} />
        </p>
      )}
      <fieldset className="plain form-buttons" disabled={blocked !== null}>
        <button type="button" className="danger" title="Also the Delete key" onClick={onDelete}>
          Delete…
        </button>
        {loggedIn && deployed && (
          <ConfirmButton
            label="Rotate key…"
            title="Rotate this tunnel's key?"
            message={`The next deploy makes a new pre-shared key for the tunnel between ${rootName(topology, a)} and ${rootName(topology, b)} and re-applies on these two roots only; the tunnel re-forms with it.`}
            confirmLabel="Rotate at the next deploy"
            onConfirm={() => void overlay.rotatePsk(a, b)}
          />
        )}
      </fieldset>
    </section>
  );
}
