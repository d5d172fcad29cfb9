// Messages across the top: a stored topology that had to be kept aside, and a call that failed.
import { formatProblem } from '../../src-shared/validation/zodProblems.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { selectFailure, selectRecovery } from '../store/selectors.ts';

export function Banners() {
  const recovery = useEditor(selectRecovery);
  const failure = useEditor(selectFailure);
  return (
    <>
      {recovery && (
        <div className="banner warning" role="status">
          <p>
            {recovery.reason}. It was kept as {recovery.keptAs}; the editor started empty.
          </p>
          {recovery.problems.length > 0 && (
            <ul>
              {recovery.problems.map((p, i) => (
                <li key={i}>{formatProblem(p)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {failure && (
        <div className="banner error" role="alert">
          {failure}
        </div>
      )}
    </>
  );
}
