// Why a topology file was not imported: every problem it has, each said with where it is in words; nothing was changed.
import { useEffect, useRef } from 'react';
import type { Problem } from '../../src-shared/contract/contract.ts';
import { asSentence, problemLine } from '../panels/problemWords.ts';

export function ImportProblemsDialog({ reason, problems, onClose }: { reason: string; problems: readonly Problem[]; onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog wide-dialog" role="dialog" aria-modal="true" aria-labelledby="import-title" aria-describedby="import-reason">
        <h2 id="import-title">The file was not imported</h2>
        <p id="import-reason">{asSentence(reason)} Fix the file and import it again; the topology you have is as it was.</p>
        {problems.length > 0 && (
          <ul className="import-problems" aria-label="Problems in the file">
            {problems.map((p, i) => (
              <li key={i}>{problemLine(p)}</li>
            ))}
          </ul>
        )}
        <div className="dialog-buttons">
          <button type="button" ref={close} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
