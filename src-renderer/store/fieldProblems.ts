// Sorts validation problems by where the editor shows them: next to a field of the root in the form, or in the panel's list.
import type { Problem } from '../../src-shared/contract/contract.ts';

export const ROOT_FIELDS = ['name', 'internetAddress', 'overlay', 'maxClients', 'cloud'] as const;
export type RootField = (typeof ROOT_FIELDS)[number];

export interface PlacedProblems {
  /** Messages for each field of root `index` (`roots[i].cloud.provider` counts as `cloud`). */
  byField: Partial<Record<RootField, string[]>>;
  /** Everything else, path included: the whole root, other roots, tunnels. */
  elsewhere: Problem[];
}

export function placeProblems(problems: readonly Problem[], rootIndex: number | null): PlacedProblems {
  const placed: PlacedProblems = { byField: {}, elsewhere: [] };
  const prefix = `roots[${rootIndex}].`;
  for (const problem of problems) {
    const field = rootIndex === null || !problem.path.startsWith(prefix) ? undefined : ROOT_FIELDS.find((f) => isField(problem.path.slice(prefix.length), f));
    if (field) (placed.byField[field] ??= []).push(problem.message);
    else placed.elsewhere.push(problem);
  }
  return placed;
}

function isField(rest: string, field: string): boolean {
  return rest === field || rest.startsWith(`${field}.`) || rest.startsWith(`${field}[`);
}
