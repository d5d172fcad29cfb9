// `raincoat validate FILE`: checks a topology file and summarises it.
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadOrReport } from './loadOrReport.ts';
import { warningLines } from './reachabilityText.ts';
import { count } from '../../../src-shared/text/count.ts';
import { EXIT } from '../io.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a topology file and print every problem',
  usage: `Usage: raincoat validate FILE

Checks the topology in FILE (JSON) against every rule.
Exit 0 and "ok" with a summary when it is valid; exit 1 and one line per problem ("path: message")
when it is not; exit 2 when FILE cannot be read or is not JSON.
Clouds that no path of tunnels joins get a warning each ("warning: A cannot reach B: no path of tunnels",
on standard error); warnings alone leave the exit status 0.`,
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, {}, 1, io);
    if (typeof parsed === 'number') return parsed;
    const topology = await loadOrReport(parsed.positionals[0]!, io);
    if (typeof topology === 'number') return topology;
    const { summary } = planAddresses(topology);
    for (const line of warningLines(topology)) io.err(line);
    io.out(`ok: ${count(summary.roots, 'root')}, ${count(summary.tunnels, 'tunnel')}, ${count(summary.leaves, 'leaf', 'leaves')}, client capacity ${summary.clientCapacity}`);
    return EXIT.ok;
  },
};
