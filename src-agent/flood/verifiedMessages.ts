// Flooded messages whose origin's signature an agent of this process found good, by what a line claims it carries: in a
// host that runs many agents (the sandbox's hundreds), every other agent given the same message takes the one already
// parsed and encoded instead of parsing, encoding and digesting it again (most of the host's flooding work).
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';

export interface VerifiedMessage {
  message: FloodMessage;
  /** Its canonical bytes, which the signature covers, and their seen-set key. */
  bytes: Uint8Array;
  key: string;
}

const kept = new Map<string, VerifiedMessage>();
const KEPT = 4_096;
const MAX_CLAIM_CHARS = 512;

/**
 * What a line claims to carry: its origin, id, time stamp and signature. Two lines with one claim carry one message or a
 * forgery of it: a signature covers one content only, so the message found good under that claim is the one it signs.
 */
export function claimOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { origin, id, ts, sig } = raw as { origin?: unknown; id?: unknown; ts?: unknown; sig?: unknown };
  if (typeof origin !== 'string' || typeof id !== 'string' || typeof ts !== 'number' || typeof sig !== 'string') return undefined;
  const claim = `${origin} ${id} ${ts} ${sig}`;
  return claim.length <= MAX_CLAIM_CHARS ? claim : undefined;
}

export function recallVerified(claim: string): VerifiedMessage | undefined {
  return kept.get(claim);
}

/** Remembers a message found genuine; it is frozen, for every agent of the process handles the same object. */
export function rememberVerified(claim: string, verified: VerifiedMessage): void {
  if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
  kept.set(claim, { ...verified, message: deepFreeze(verified.message) });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
