// The overlay's messages across the top: no overlay (and how to get one), a session about to end (and staying), why the
// last one ended, the keys' passphrase when a deploy needs it, a deploy blocking edits, a status that could not be read, what a key change did, and a call that failed or was refused.
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectBusy, selectEditingBlocked, selectKeysNeed, selectOverlayActions, selectOverlayFailure, selectOverlayInfo, selectOverlayNotice, selectSession, selectStatus } from '../overlay/overlaySelectors.ts';
import { KeysBanner } from './KeysBanner.tsx';

export function OverlayBanners() {
  const session = useOverlay(selectSession);
  const overlay = useOverlay(selectOverlayInfo);
  const status = useOverlay(selectStatus);
  const blocked = useOverlay(selectEditingBlocked);
  const failure = useOverlay(selectOverlayFailure);
  const busy = useOverlay(selectBusy);
  const actions = useOverlay(selectOverlayActions);
  const keysNeed = useOverlay(selectKeysNeed);
  const notice = useOverlay(selectOverlayNotice);
  if (session === null) return failure && <Failure text={failure} />;
  return (
    <>
      {overlay === null && (
        <div className="banner info" role="status" aria-label="No overlay">
          <p>
            No overlay is connected: you can draw a topology, but not deploy it. <code>npm start</code> brings up a sandbox overlay on this machine (every
            cloud's root and leaves as local agents) and opens Raincoat on it; <code>npm start -- --access FILE</code> opens a real overlay from the access
            file its roots were enrolled with.
          </p>
        </div>
      )}
      {session.phase === 'in' && session.expiring && (
        <div className="banner warning with-action" role="alert">
          <p>
            Your session ends at {new Date(session.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} for lack of activity, and the
            administrator lock is then freed for others.
          </p>
          <button type="button" disabled={busy} onClick={() => void actions.keepAlive()}>
            Stay logged in
          </button>
        </div>
      )}
      {session.phase === 'out' && session.ended !== null && (
        <div className="banner warning" role="status">
          <p>Session ended: {session.ended}.</p>
        </div>
      )}
      {keysNeed !== null && <KeysBanner need={keysNeed} />}
      {blocked !== null && (
        <div className="banner info" role="status">
          <p>{blocked}</p>
        </div>
      )}
      {status?.problem && (
        <div className="banner warning" role="status">
          <p>The status could not be read: {status.problem}. What is shown is from the last read.</p>
        </div>
      )}
      {notice && (
        <div className="banner info" role="status">
          <p>{notice}</p>
        </div>
      )}
      {failure && <Failure text={failure} />}
    </>
  );
}

function Failure({ text }: { text: string }) {
  return (
    <div className="banner error" role="alert">
      {text}
    </div>
  );
}
