// The deploy plan in words: how many nodes each kind of change touches, and what each line of a file's diff is.
import type { DeployPlanView } from '../../src-shared/contract/overlayContract.ts';
import { count } from '../../src-shared/text/count.ts';

const CHANGES = ['added', 'changed', 'unchanged', 'removed'] as const;

/** "8 nodes: 2 changed, 6 unchanged", the kinds in a fixed order and only those present. */
export function planCounts(plan: DeployPlanView): string {
  const parts = CHANGES.map((change) => [change, plan.nodes.filter((n) => n.change === change).length] as const)
    .filter(([, n]) => n > 0)
    .map(([change, n]) => `${n} ${change}`);
  return `${count(plan.nodes.length, 'node')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

export type DiffLineKind = 'added' | 'removed' | 'hunk' | 'context';

/** A unified diff's line: `+` added, `-` removed, `@@` where a hunk starts. */
export function diffLineKind(line: string): DiffLineKind {
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}
