// The pending/deployed state file's format: turning its text into topologies, or saying exactly why it cannot be used.
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import type { Problem } from '../../../src-shared/validation/zodProblems.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import { parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { count } from '../../../src-shared/text/count.ts';

/**
 * Format history:
 * - 1 (2025-11): `{format, pending, deployed}`; pending is a valid topology, deployed one or null.
 */
export const STATE_FORMAT = 1;

export interface StoredState {
  pending: Topology;
  deployed: Topology | null;
}

export type ParsedState =
  | { ok: true; state: StoredState }
  /** The file cannot be used: kept aside by the caller. `problems` carry paths such as `pending.roots[1].overlay`. */
  | { ok: false; reason: string; problems: Problem[] }
  /** Written by a newer Raincoat: neither used nor kept aside, since it is not corrupt. */
  | { ok: 'newer'; format: number };

export const EMPTY_TOPOLOGY: Topology = { roots: [], tunnels: [] };

export function serializeState(state: StoredState): string {
  return `${JSON.stringify({ format: STATE_FORMAT, pending: state.pending, deployed: state.deployed }, null, 2)}\n`;
}

export function parseState(text: string): ParsedState {
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, reason: `not JSON (line ${json.line}, column ${json.column}: ${json.message})`, problems: [] };
  const value = json.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a Raincoat state file (expected an object)', problems: [] };
  }
  const record = value as Record<string, unknown>;
  const format = record['format'];
  if (typeof format === 'number' && Number.isInteger(format) && format > STATE_FORMAT) return { ok: 'newer', format };
  if (format !== STATE_FORMAT) {
    return { ok: false, reason: `not a Raincoat state file (expected "format": ${STATE_FORMAT})`, problems: [] };
  }
  const problems: Problem[] = [];
  const pending = validated(record['pending'], 'pending', problems);
  const deployed = record['deployed'] === null ? null : validated(record['deployed'], 'deployed', problems);
  if (pending === undefined || deployed === undefined) {
    return { ok: false, reason: `holds an invalid topology (${count(problems.length, 'problem')})`, problems };
  }
  return { ok: true, state: { pending, deployed } };
}

function validated(value: unknown, section: string, problems: Problem[]): Topology | undefined {
  const result = validateTopology(value);
  if (result.ok) return result.topology;
  problems.push(...result.problems.map((p) => ({ path: p.path === 'topology' ? section : `${section}.${p.path}`, message: p.message })));
  return undefined;
}
