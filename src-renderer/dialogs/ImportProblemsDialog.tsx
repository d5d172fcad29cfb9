// Why a topology file was not imported: every problem it has, each said with where it is in words; nothing was changed.
import type { Problem } from '../../src-shared/contract/contract.ts';
import { problemLine } from '../panels/problemWords.ts';
import { ClosingDialog } from './ClosingDialog.tsx';

export function ImportProblemsDialog({ reason, problems, onClose }: { reason: string; problems: readonly Problem[]; onClose(): void }) {
  return (
    <ClosingDialog title="The file was not imported" className="wide-dialog" onClose={onClose}>
      {/* Not asSentence: the reason may start with the file's name, whose case is its own. */}
      <p>{/[.!?]$/.test(reason) ? reason : `${reason}.`} Fix the file and import it again; the topology you have is as it was.</p>
      {problems.length > 0 && (
        <ul className="import-problems" aria-label="Problems in the file">
          {problems.map((p, i) => (
            <li key={i}>{problemLine(p)}</li>
          ))}
        </ul>
      )}
    </ClosingDialog>
  );
}
