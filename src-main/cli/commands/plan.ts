// `raincoat plan FILE [--json]`: each root's leaves and subnets, as a table or as stable JSON.
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadOrReport } from './loadOrReport.ts';
import { formatTable } from './formatTable.ts';
import { count } from '../../../src-shared/text/count.ts';
import { EXIT } from '../io.ts';

export const planCommand: Command = {
  name: 'plan',
  summary: 'print the address plan: each root, its leaves and their subnets',
  usage: `Usage: raincoat plan FILE [--json]

Derives every root's leaves (one per 100 clients) and subnets from the topology in FILE.
  --json   print the plan as JSON (stable order: the same file always gives the same bytes)
An invalid topology gets validate's messages and exit 1.`,
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, { json: { type: 'boolean' } }, 1, io);
    if (typeof parsed === 'number') return parsed;
    const topology = await loadOrReport(parsed.positionals[0]!, io);
    if (typeof topology === 'number') return topology;
    const plan = planAddresses(topology);
    io.out(parsed.values.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
    return EXIT.ok;
  },
};

export function formatPlan(plan: AddressPlan): string {
  const rows: string[][] = [];
  for (const root of plan.roots) {
    rows.push([root.nodeName, root.name, root.internetAddress + (root.natted ? ' (NAT)' : ''), root.uplinkSubnet, root.uplinkServerAddress, '', String(root.maxClients)]);
    for (const leaf of root.leaves) {
      rows.push([`  ${leaf.nodeName}`, '', '', leaf.clientSubnet, leaf.clientServerAddress, leaf.uplinkAddress, String(leaf.maxClients)]);
    }
  }
  const table = formatTable(['node', 'name', 'internet address', 'subnet', 'server', 'uplink address', 'clients'], rows);
  const tunnels = plan.tunnels.length ? plan.tunnels.map((t) => `  ${t.name}: root-${t.a} <-> root-${t.b}`).join('\n') : '  (none)';
  const s = plan.summary;
  const summary = `${count(s.roots, 'root')}, ${count(s.tunnels, 'tunnel')}, ${count(s.leaves, 'leaf', 'leaves')}, client capacity ${s.clientCapacity}`;
  return `${table}\n\ntunnels:\n${tunnels}\n\n${summary}`;
}
