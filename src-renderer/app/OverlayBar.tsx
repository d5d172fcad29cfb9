// The toolbar's overlay part: which overlay and who is logged in where, Deploy, the audit trail, and Log out.
import { useState } from 'react';
import { AuditDialog } from '../dialogs/AuditDialog.tsx';
import { deployUnderWay } from '../overlay/deployProgress.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectBusy, selectCanStartDeploy, selectDeploy, selectOverlayActions, selectOverlayInfo, selectSession } from '../overlay/overlaySelectors.ts';

export function OverlayBar() {
  const overlay = useOverlay(selectOverlayInfo);
  const session = useOverlay(selectSession);
  const canDeploy = useOverlay(selectCanStartDeploy);
  const underWay = deployUnderWay(useOverlay(selectDeploy));
  const busy = useOverlay(selectBusy);
  const actions = useOverlay(selectOverlayActions);
  const [auditOpen, setAuditOpen] = useState(false);
  if (overlay === null) return null;
  return (
    <div className="overlay-bar" role="group" aria-label="Overlay">
      <span className="overlay-name" title={`entry root ${overlay.entry} at ${overlay.entryUrl}`}>
        {overlay.name}
        {overlay.sandbox && <span className="muted"> on this machine</span>}
      </span>
      {session?.phase === 'in' && (
        <>
          <span className="session-user" title="logged in as, at which root">
            {session.user}@{session.entry}
          </span>
          <button
            type="button"
            className="primary"
            disabled={!canDeploy}
            title={underWay ? 'A deploy is under way' : 'Deploy the pending topology: its plan is shown before anything is sent'}
            onClick={() => void actions.startDeploy()}
          >
            Deploy
          </button>
          <button type="button" title="Who logged in, deployed, rotated or revoked what, when and from where" onClick={() => setAuditOpen(true)}>
            Audit trail
          </button>
          {auditOpen && <AuditDialog onClose={() => setAuditOpen(false)} />}
          <button type="button" disabled={underWay || busy} title={underWay ? 'Log out once the deploy is done' : undefined} onClick={() => void actions.logout()}>
            Log out
          </button>
        </>
      )}
    </div>
  );
}
