// What validate and plan say about reachability: the warnings for clouds no path joins, and `--without` answers.
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { describeRemoval, lostWithout, parseRemoval, reachabilityWarnings } from '../../../src-shared/routing/reachability.ts';

/** One `warning: …` line per pair of islands, or none: printed apart from errors, and never a failure. */
export function warningLines(topology: Topology): string[] {
  return reachabilityWarnings(topology).map((w) => `warning: ${w.message}`);
}

/** Each `--without` answered (`without tunnel-1-2: …`), or the first that cannot be, with why. */
export function withoutLines(topology: Topology, specs: readonly string[]): { ok: true; lines: string[] } | { ok: false; reason: string } {
  const lines: string[] = [];
  for (const spec of specs) {
    const removal = parseRemoval(spec);
    if (!removal) return { ok: false, reason: `--without: expected tunnel:A-B or root:ID, found ${JSON.stringify(spec)}` };
    const answer = lostWithout(topology, removal);
    if (!answer.ok) return { ok: false, reason: `--without ${spec}: ${answer.reason}` };
    const name = describeRemoval(topology, removal);
    if (answer.lost.length === 0) lines.push(`without ${name}: no clouds would lose each other`);
    else lines.push(`without ${name}:`, ...answer.lost.map((l) => `  ${l.message}`));
  }
  return { ok: true, lines };
}
