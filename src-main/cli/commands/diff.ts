// `raincoat diff OLD NEW [--json]`: what deploying NEW over OLD would add, change and remove.
import { diffTopologies } from '../../../src-shared/diff/diffTopologies.ts';
import type { TopologyDiff } from '../../../src-shared/diff/diffTopologies.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadOrReport } from './loadOrReport.ts';
import { EXIT } from '../io.ts';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'show what would be added, changed and removed going from OLD to NEW',
  usage: `Usage: raincoat diff OLD NEW [--json]

Compares two topology files (typically the deployed one and the pending one) and lists the roots,
tunnels and leaves a deploy would add (+), change (~) and remove (-).
  --json   print the difference as JSON`,
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, { json: { type: 'boolean' } }, 2, io);
    if (typeof parsed === 'number') return parsed;
    const before = await loadOrReport(parsed.positionals[0]!, io, { nameFile: true });
    if (typeof before === 'number') return before;
    const after = await loadOrReport(parsed.positionals[1]!, io, { nameFile: true });
    if (typeof after === 'number') return after;
    const diff = diffTopologies(before, after);
    io.out(parsed.values.json ? JSON.stringify(diff, null, 2) : formatDiff(diff));
    return EXIT.ok;
  },
};

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export function formatDiff(diff: TopologyDiff): string {
  if (diff.empty) return 'no changes';
  const lines: string[] = [];
  for (const r of diff.roots.added) lines.push(`+ root-${r.id} "${r.name}" ${r.internetAddress} ${r.overlay}, ${r.maxClients} clients`);
  for (const r of diff.roots.changed) {
    lines.push(`~ root-${r.id} "${r.name}": ${r.changes.map((c) => `${c.field} ${show(c.from)} -> ${show(c.to)}`).join(', ')}`);
  }
  for (const r of diff.roots.removed) lines.push(`- root-${r.id} "${r.name}"`);
  for (const t of diff.tunnels.added) lines.push(`+ ${t.name} (root-${t.a} <-> root-${t.b})`);
  for (const t of diff.tunnels.removed) lines.push(`- ${t.name} (root-${t.a} <-> root-${t.b})`);
  for (const l of diff.leaves.added) lines.push(`+ ${l.nodeName} ${l.clientSubnet}`);
  for (const l of diff.leaves.changed) lines.push(`~ ${l.nodeName}: ${l.changes.map((c) => `${c.field} ${show(c.from)} -> ${show(c.to)}`).join(', ')}`);
  for (const l of diff.leaves.removed) lines.push(`- ${l.nodeName} ${l.clientSubnet}`);
  const added = diff.roots.added.length + diff.tunnels.added.length + diff.leaves.added.length;
  const changed = diff.roots.changed.length + diff.leaves.changed.length;
  const removed = diff.roots.removed.length + diff.tunnels.removed.length + diff.leaves.removed.length;
  lines.push('', `${added} to add, ${changed} to change, ${removed} to remove`);
  return lines.join('\n');
}
