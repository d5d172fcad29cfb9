// The overlay's audit trail: every login (refused ones too), logout, lock change, deploy, rotation and revocation, with
// when, at which root, by whom and from where, newest first, narrowed by what is typed in its filter; read from the entry
// root when opened and on Refresh.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AUDIT_COLUMNS, auditRow } from '../../src-shared/audit/auditText.ts';
import { count } from '../../src-shared/text/count.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import type { AuditRead } from '../overlay/overlayStore.ts';
import { selectOverlayActions } from '../overlay/overlaySelectors.ts';
import { filterAuditRows } from './auditFilter.ts';
import { ClosingDialog } from './ClosingDialog.tsx';

export function AuditDialog({ onClose }: { onClose: () => void }) {
  const actions = useOverlay(selectOverlayActions);
  const [read, setRead] = useState<AuditRead | null>(null);
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => (read?.ok === true ? read.entries.toReversed().map((entry) => ({ id: entry.id, cells: auditRow(entry) })) : []), [read]);
  const kept = useMemo(() => {
    const cells = new Set(filterAuditRows(rows.map((r) => r.cells), filter));
    return rows.filter((r) => cells.has(r.cells));
  }, [rows, filter]);
  const refresh = useCallback(() => {
    setRead(null);
    void actions.readAudit().then(setRead);
  }, [actions]);
  useEffect(() => refresh(), [refresh]);

  return (
    <ClosingDialog
      title="Audit trail"
      className="plan-dialog"
      onClose={onClose}
      buttons={
        <button type="button" onClick={refresh} disabled={read === null}>
          Refresh
        </button>
      }
    >
      {read === null && <p>Reading the trail from the entry root…</p>}
      {read?.ok === false && <p className="field-problem">The trail could not be read: {read.reason}</p>}
      {read?.ok === true && (
        <>
          <p>
            {count(read.entries.length, 'entry', 'entries')}, newest first (times in UTC, on the clock of the root that recorded them)
            {read.omitted > 0 && `; ${count(read.omitted, 'older entry', 'older entries')} not shown`}.
          </p>
          <div className="audit-filter">
            <label htmlFor="audit-filter">Show only entries with</label>
            <input id="audit-filter" type="search" value={filter} placeholder="deploy, root-2, alice…" onChange={(e) => setFilter(e.target.value)} />
            <span role="status">{filter.trim() === '' ? '' : `${count(kept.length, 'entry', 'entries')} shown`}</span>
          </div>
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
                {kept.map((row) => (
                  <tr key={row.id}>
                    {row.cells.map((cell, i) => (
                      <td key={AUDIT_COLUMNS[i]}>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ClosingDialog>
  );
}
