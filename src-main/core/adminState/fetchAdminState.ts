// Reads the administrator state a root keeps, page after page in one session, and checks it whole: the very text the
// pages' head names (its digest), and a kept state in shape.
import { KeptAdminStateSchema, textDigest } from '../../../src-shared/protocol/adminState.ts';
import type { AdminStateHead, KeptAdminState } from '../../../src-shared/protocol/adminState.ts';
import { parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import type { AgentMethods } from '../agentClient/agentClient.ts';

export type Fetched =
  | { kind: 'state'; head: AdminStateHead; kept: KeptAdminState }
  /** The root keeps none: nothing was deployed since it has been a root (or not from a version that keeps one). */
  | { kind: 'none'; reason: string }
  | { kind: 'failed'; reason: string };

/** Reading starts over this many times at most when the state changes under it (a deploy keeps a new one meanwhile). */
const READS = 3;

export async function fetchAdminState(api: Pick<AgentMethods, 'readAdminState'>): Promise<Fetched> {
  for (let read = 1; ; read++) {
    const first = await api.readAdminState({ offset: 0 });
    if (!first.ok) return first.code === 'not_found' ? { kind: 'none', reason: first.reason } : { kind: 'failed', reason: first.reason };
    const { head } = first.answer;
    let text = first.answer.text;
    let changed = false;
    while (text.length < head.size && !changed) {
      const page = await api.readAdminState({ offset: text.length, digest: head.digest });
      if (!page.ok && page.code === 'conflict') changed = true;
      else if (!page.ok) return { kind: 'failed', reason: page.reason };
      else if (page.answer.text.length === 0) return { kind: 'failed', reason: `the state ended at ${text.length} of its ${head.size} bytes` };
      else text += page.answer.text;
    }
    if (changed) {
      if (read < READS) continue;
      return { kind: 'failed', reason: `the state changed while it was read, ${READS} times` };
    }
    return checked(head, text);
  }
}

async function checked(head: AdminStateHead, text: string): Promise<Fetched> {
  if (text.length !== head.size || (await textDigest(text)) !== head.digest) return { kind: 'failed', reason: 'the state read is not the one its root named (its digest differs)' };
  const json = parseJsonText(text);
  if (!json.ok) return { kind: 'failed', reason: `the state read is not JSON (line ${json.line}, column ${json.column}: ${json.message})` };
  // Problems name places, never values: the state carries the sealed keys.
  const parsed = KeptAdminStateSchema.safeParse(json.value, { reportInput: true });
  if (!parsed.success) return { kind: 'failed', reason: `the state read is not one: ${zodProblems(parsed.error, '(state)', '', { quoteValues: false }).map(formatProblem).join('; ')}` };
  return { kind: 'state', head, kept: parsed.data };
}
