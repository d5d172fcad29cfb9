// The administrator's state as a root holds it: its head, its canonical text as bytes (what is stored, served to
// neighbours and read by sessions in pages), and the digest of the state alone, so that a put of the very state kept
// changes nothing.
import { canonicalJson } from '../../src-shared/protocol/canonicalJson.ts';
import { KeptAdminStateSchema, keptStateText, textDigest } from '../../src-shared/protocol/adminState.ts';
import type { AdminStateHead, KeptAdminState } from '../../src-shared/protocol/adminState.ts';
import { parseJsonText } from '../../src-shared/validation/parseJsonText.ts';
import { formatProblem, zodProblems } from '../../src-shared/validation/zodProblems.ts';

export interface StateCopy {
  head: AdminStateHead;
  bytes: Buffer;
  stateDigest: string;
}

export type CopyOutcome = { copy: StateCopy } | { problem: string };

/** The copy of a kept state, or why not: it weighs more than `maxBytes`. */
export async function stateCopy(kept: KeptAdminState, maxBytes: number): Promise<CopyOutcome> {
  const { text, head } = await keptStateText(kept);
  if (text.length > maxBytes) return { problem: `the state is ${text.length} bytes, more than the ${maxBytes} a root keeps` };
  return { copy: { head, bytes: Buffer.from(text, 'utf8'), stateDigest: await textDigest(canonicalJson(kept.state)) } };
}

/** A state read back from disk or a neighbour; a problem names places, never values (it holds sealed keys). */
export async function parseStateCopy(text: string, maxBytes: number): Promise<CopyOutcome> {
  if (text.length > maxBytes) return { problem: `${text.length} bytes, more than the ${maxBytes} a root keeps` };
  const json = parseJsonText(text);
  if (!json.ok) return { problem: `not JSON (line ${json.line}, column ${json.column}: ${json.message})` };
  const parsed = KeptAdminStateSchema.safeParse(json.value, { reportInput: true });
  if (!parsed.success) return { problem: zodProblems(parsed.error, '(top)', '', { quoteValues: false }).map(formatProblem).join('; ') };
  return stateCopy(parsed.data, maxBytes);
}
