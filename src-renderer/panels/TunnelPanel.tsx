// A selected tunnel: which roots it joins, and deleting it after asking (not while a deploy is under way).
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { tunnelName } from '../../src-shared/plan/nodeNames.ts';
import { ConfirmButton } from '../dialogs/ConfirmButton.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import { tunnelIsDeployed } from '../store/pendingChangesText.ts';
import { selectActions, selectChanges } from '../store/selectors.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked, selectLoggedIn, selectOverlayActions } from '../overlay/overlaySelectors.ts';

export function TunnelPanel({ topology, a, b }: { topology: Topology; a: number; b: number }) {
  const actions = useEditor(selectActions);
  const blocked = useOverlay(selectEditingBlocked);
  const changes = useEditor(selectChanges);
  const loggedIn = useOverlay(selectLoggedIn);
  const overlay = useOverlay(selectOverlayActions);
  const deployed = changes ? tunnelIsDeployed(changes, a, b) : false;
  const stays = deployed ? ' It stays on the overlay, struck through, until the next deploy removes it.' : '';
  const nameOf = (id: number) => topology.roots.find((r) => r.id === id)?.name ?? `root ${id}`;
  const title = `${nameOf(a)} ↔ ${nameOf(b)}`;
  return (
    <section className="tunnel-panel" aria-label={`Tunnel ${title}`}>
      <h2>{title}</h2>
      <p className="muted">
        {tunnelName(a, b)}: IPsec site-to-site, pre-shared key generated at deploy.
      </p>
      <fieldset className="plain form-buttons" disabled={blocked !== null}>
        <ConfirmButton
            label="Delete…"
          title="Delete this tunnel?"
          message={`The tunnel between ${nameOf(a)} and ${nameOf(b)} leaves the pending topology.${stays}`}
          confirmLabel="Delete tunnel"
          onConfirm={() => void actions.command({ kind: 'deleteTunnel', a, b }, { kind: 'none' })}
        />
        {loggedIn && deployed && (
          <ConfirmButton
            label="Rotate key…"
            title="Rotate this tunnel's key?"
            message={`The next deploy makes a new pre-shared key for the tunnel between ${nameOf(a)} and ${nameOf(b)} and re-applies on these two roots only; the tunnel re-forms with it.`}
            confirmLabel="Rotate at the next deploy"
            onConfirm={() => void overlay.rotatePsk(a, b)}
          />
        )}
      </fieldset>
    </section>
  );
}
