// Why a change was refused, and its problems that belong to no field on screen, each said with where it is in words; a
// note says how what is shown below relates to it.
import type { Problem } from '../../src-shared/contract/contract.ts';
import { asSentence, problemLine } from './problemWords.ts';

export function ProblemList({ reason, problems, note = null }: { reason: string; problems: readonly Problem[]; note?: string | null }) {
  return (
    <div className="refusal" role="alert">
      <p className="refusal-reason">{asSentence(reason)}</p>
      {note && <p className="refusal-note muted">{note}</p>}
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i} className="problem">
              {problemLine(p)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
