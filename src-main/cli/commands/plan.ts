// `raincoat plan FILE [--json] [--without X]`: each root's leaves and subnets and each tunnel's routes, as a table or as stable JSON.
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import { planRoutes, type RoutePlan } from '../../../src-shared/routing/planRoutes.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadOrReport } from './loadOrReport.ts';
import { formatTable } from './formatTable.ts';
import { warningLines, withoutLines } from './reachabilityText.ts';
import { count } from '../../../src-shared/text/count.ts';
import { EXIT } from '../io.ts';

export const planCommand: Command = {
  name: 'plan',
  summary: 'print the address plan: each root, its leaves and their subnets, and what each tunnel carries',
  usage: `Usage: raincoat plan FILE [--json] [--without tunnel:A-B | root:ID ...]

Derives every root's leaves (one per 100 clients) and subnets from the topology in FILE, and the routes:
traffic between two clouds follows the path with the fewest tunnels (ties: the lowest root ids), through
the roots in between, so each tunnel carries the pairs of overlays listed under "routes".
  --json      print the plan as JSON, with "routes" (stable order: the same file always gives the same bytes)
  --without   say which clouds would lose each other without that tunnel or root (may be repeated)
Clouds that no path of tunnels joins get a warning each on standard error; warnings alone leave the exit
status 0. An invalid topology gets validate's messages and exit 1.`,
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, { json: { type: 'boolean' }, without: { type: 'string', multiple: true } }, 1, io);
    if (typeof parsed === 'number') return parsed;
    const topology = await loadOrReport(parsed.positionals[0]!, io);
    if (typeof topology === 'number') return topology;
    const without = withoutLines(topology, (parsed.values.without as string[] | undefined) ?? []);
    if (!without.ok) {
      io.err(`raincoat plan: ${without.reason}`);
      return EXIT.usage;
    }
    for (const line of warningLines(topology)) io.err(line);
    const plan = planAddresses(topology);
    const routes = planRoutes(topology);
    io.out(parsed.values.json ? JSON.stringify({ ...plan, routes }, null, 2) : formatPlan(plan, routes));
    if (without.lines.length > 0) io.out(without.lines.join('\n'));
    return EXIT.ok;
  },
};

export function formatPlan(plan: AddressPlan, routes: RoutePlan): string {
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
  // One line per traffic selector: what crosses the tunnel between the two sides, both ways.
  const carried = routes.tunnels.flatMap((t) => t.selectors.map((s) => `  ${t.name}: ${s.aSide.join(', ')} <-> ${s.bSide.join(', ')}`));
  return `${table}\n\ntunnels:\n${tunnels}\n\nroutes:\n${carried.length ? carried.join('\n') : '  (none)'}\n\n${summary}`;
}
