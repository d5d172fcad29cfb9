// Why a change was refused, and its problems that belong to no field on screen, each said with where it is in words.
import type { Problem } from '../../src-shared/contract/contract.ts';
import { asSentence, problemLine } from './problemWords.ts';

export function ProblemList({ reason, problems }: { reason: string; problems: readonly Problem[] }) {
  return (
    <div className="refusal" role="alert">
      <p className="refusal-reason">{asSentence(reason)}</p>
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
