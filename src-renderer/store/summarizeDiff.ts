// One line saying what a deploy would change, for the toolbar.
import type { TopologyDiff } from '../../src-shared/diff/diffTopologies.ts';

const NOUNS = { roots: ['root', 'roots'], tunnels: ['tunnel', 'tunnels'], leaves: ['leaf', 'leaves'] } as const;

export function summarizeDiff(diff: TopologyDiff): string {
  if (diff.empty) return 'nothing to deploy';
  const parts: string[] = [];
  for (const key of ['roots', 'tunnels', 'leaves'] as const) {
    const section = diff[key];
    const [one, many] = NOUNS[key];
    const changed = 'changed' in section ? section.changed : [];
    for (const [sign, list] of [['+', section.added], ['−', section.removed], ['~', changed]] as const) {
      if (list.length > 0) parts.push(`${sign}${list.length} ${list.length === 1 ? one : many}`);
    }
  }
  return `to deploy: ${parts.join(', ')}`;
}
