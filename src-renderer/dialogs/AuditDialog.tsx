// The overlay's audit trail: every login (refused ones too), logout, lock change, deploy, rotation and revocation, with
// when, at which root, by whom and from where, newest first; read from the entry root when opened and on Refresh.
import { useCallback, useEffect, useRef, useState } from 'react';
import { AUDIT_COLUMNS, auditRow } from '../../src-shared/audit/auditText.ts';
import { count } from '../../src-shared/text/count.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import type { AuditRead } from '../overlay/overlayStore.ts';
import { selectOverlayActions } from '../overlay/overlaySelectors.ts';

export function AuditDialog({ onClose }: { onClose: () => void }) {
  const actions = useOverlay(selectOverlayActions);
  const [read, setRead] = useState<AuditRead | null>(null);
  const close = useRef<HTMLButtonElement>(null);
  const refresh = useCallback(() => {
    setRead(null);
    void actions.readAudit().then(setRead);
  }, [actions]);
  useEffect(() => {
    refresh();
    close.current?.focus();
  }, [refresh]);

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog plan-dialog" role="dialog" aria-modal="true" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit trail</h2>
        {read === null && <p>Reading the trail from the entry root…</p>}
        {read?.ok === false && <p className="field-problem">The trail could not be read: {read.reason}</p>}
        {read?.ok === true && (
          <>
            <p>
              {count(read.entries.length, 'entry', 'entries')}, newest first (times in UTC, on the clock of the root that recorded them)
              {read.omitted > 0 && `; ${count(read.omitted, 'older entry', 'older entries')} not shown`}.
            </p>
            <div className="plan-body">
              <table className="status-table" aria-label="Audit entries">
                <thead>
                  <tr>
                    {AUDIT_COLUMNS.map((column) => (
                      <th key={column}>{column}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {read.entries.toReversed().map((entry) => (
                    <tr key={entry.id}>
                      {auditRow(entry).map((cell, i) => (
                        <td key={AUDIT_COLUMNS[i]}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={refresh} disabled={read === null}>
            Refresh
          </button>
          <button type="button" ref={close} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
