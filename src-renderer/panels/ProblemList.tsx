// The problems of a refused change that belong to no field on screen, each with its path.
import type { Problem } from '../../src-shared/contract/contract.ts';
import { formatProblem } from '../../src-shared/validation/zodProblems.ts';

export function ProblemList({ reason, problems }: { reason: string; problems: readonly Problem[] }) {
  return (
    <div className="refusal" role="alert">
      <p className="refusal-reason">{reason}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i} className="problem">
              {formatProblem(p)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
