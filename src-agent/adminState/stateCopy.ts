// The administrator's state as a root holds it: its head and its canonical text as bytes (what is stored, served to
// neighbours and read by sessions in pages), nothing else, for it may weigh megabytes.
import { canonicalJson } from '../../src-shared/protocol/canonicalJson.ts';
import { KeptAdminStateSchema, bytesDigest, keptStateText } from '../../src-shared/protocol/adminState.ts';
import type { AdminState, AdminStateHead, KeptAdminState } from '../../src-shared/protocol/adminState.ts';
import { parseJsonText } from '../../src-shared/validation/parseJsonText.ts';
import { formatProblem, zodProblems } from '../../src-shared/validation/zodProblems.ts';

export interface StateCopy {
  head: AdminStateHead;
  bytes: Buffer;
}

export type CopyOutcome = { copy: StateCopy } | { problem: string };

/** The copy of a kept state, or why not: it weighs more than `maxBytes`. */
export async function stateCopy(kept: KeptAdminState, maxBytes: number): Promise<CopyOutcome> {
  const { text, head } = await keptStateText(kept);
  if (text.length > maxBytes) return { problem: `the state is ${text.length} bytes, more than the ${maxBytes} a root keeps` };
  return { copy: { head, bytes: Buffer.from(text, 'utf8') } };
}

/** Whether a copy holds this very state, however stamped (a put repeated). Read again from its bytes: puts are rare. */
export function holdsState(copy: StateCopy, state: AdminState): boolean {
  if (copy.head.topologyId !== state.topologyId) return false;
  const kept = JSON.parse(copy.bytes.toString('utf8')) as KeptAdminState;
  return canonicalJson(kept.state) === canonicalJson(state);
}

/**
 * The heads of the canonical texts found to be kept states lately, by their digests: after a deploy every root takes the
 * same state from a neighbour, and a host of many agents (the sandbox) would parse and check it once per root.
 */
const validTexts = new Map<string, AdminStateHead>();
const VALID_TEXTS_KEPT = 8;

/**
 * A state read back from disk or a neighbour (its bytes, or its text); a problem names places, never values (it holds
 * sealed keys). A copy whose digest is known is taken as it is: its bytes are hashed as they came, not decoded first.
 */
export async function parseStateCopy(input: Buffer | string, maxBytes: number): Promise<CopyOutcome> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length > maxBytes) return { problem: `${bytes.length} bytes, more than the ${maxBytes} a root keeps` };
  // A known digest is a canonical text's: these bytes are that text's.
  const digest = await bytesDigest(bytes);
  const known = validTexts.get(digest);
  if (known !== undefined) return { copy: { head: known, bytes } };
  const json = parseJsonText(typeof input === 'string' ? input : bytes.toString('utf8'));
  if (!json.ok) return { problem: `not JSON (line ${json.line}, column ${json.column}: ${json.message})` };
  const parsed = KeptAdminStateSchema.safeParse(json.value, { reportInput: true });
  if (!parsed.success) return { problem: zodProblems(parsed.error, '(top)', '', { quoteValues: false }).map(formatProblem).join('; ') };
  const read = await stateCopy(parsed.data, maxBytes);
  // Remembered only when the text is the canonical one: then those very bytes are the copy.
  if ('copy' in read && read.copy.head.digest === digest) {
    if (validTexts.size >= VALID_TEXTS_KEPT) validTexts.delete(validTexts.keys().next().value!);
    validTexts.set(digest, read.copy.head);
  }
  return read;
}
