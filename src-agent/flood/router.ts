// The flood router (seed §7): checks each message, handles it once, and sends it on to every neighbour but its sender.
import { createHash } from 'node:crypto';
import { FloodMessageSchema, buildUnsignedMessage, canonicalMessageBytes } from '../../src-shared/protocol/messages.ts';
import type { FloodMessage, MessageBody, MessageType, UnsignedFloodMessage } from '../../src-shared/protocol/messages.ts';
import { zodProblems } from '../../src-shared/validation/zodProblems.ts';
import { listProblems } from '../wire/refusalReason.ts';
import type { VerifyVerdict } from './messageSignature.ts';
import type { OriginBudget } from './originBudget.ts';
import { SEEN_TTL_MS, createSeenSet } from './seenSet.ts';
import { claimOf, recallVerified, rememberVerified } from './verifiedMessages.ts';
import type { SeenSet } from './seenSet.ts';

export const REJECT_REASONS = ['malformed', 'forbidden', 'bad_signature', 'unknown_origin', 'duplicate', 'too_old', 'from_future', 'rate_limited'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type ReceiveResult = { accepted: true } | { accepted: false; reason: RejectReason; detail?: string };

export interface FloodRouterOptions {
  /** This node's name (root-<id> or leaf-<id>-<n>): the origin of what it originates. */
  self: string;
  /** Current neighbours: a root's tunnel peers and leaves, a leaf's root. */
  neighbours: () => readonly string[];
  /** Checks the origin's signature over the message's canonical bytes (given: the router has them already); `false` counts as a bad signature. */
  verify: (message: FloodMessage, canonicalBytes: Uint8Array) => boolean | VerifyVerdict;
  sign: (message: UnsignedFloodMessage) => string;
  nextSeq: () => number;
  now: () => number;
  /** Called once per message this node accepts (never for its own). Exceptions are counted, not thrown. */
  handle: (message: FloodMessage, from: string | null) => void;
  /** Hands a message to the (asynchronous, never blocking) sender. */
  send: (to: string, message: FloodMessage) => void;
  /** Whether a message (originated or forwarded) goes to this neighbour; yes unless told otherwise (see forwardPolicy.ts). */
  shouldSend?: (message: FloodMessage, to: string) => boolean;
  /** Whether its origin may send such a message at all (see forwardPolicy.ts); any may unless told otherwise. */
  mayOriginate?: (message: FloodMessage) => boolean;
  /** Bounds what each origin injects (see originBudget.ts); checked once a message is known genuine and new. */
  budget?: OriginBudget;
  /** Told of a handler's exception (the router counts it and carries on). */
  onHandlerError?: (error: unknown, message: FloodMessage) => void;
  /** The age past which a message is refused, skew allowance included (see below). */
  maxAgeMs?: number;
  /** How far apart two nodes' clocks may be. */
  skewMs?: number;
  seen?: SeenSet;
}

export interface RouterStats {
  accepted: number;
  originated: number;
  /** Messages handed to `send` (originated and forwarded). */
  sent: number;
  rejected: Record<RejectReason, number>;
  handlerErrors: number;
  seenEntries: number;
  seenBytes: number;
}

export interface FloodRouter {
  /** `from` is the neighbour it came from (null when not from a neighbour); `raw` is the decoded JSON body. */
  receive(from: string | null, raw: unknown): ReceiveResult;
  originate<T extends MessageType>(type: T, body: MessageBody<T>): FloodMessage;
  stats(): RouterStats;
}

/** The seen-set key: a digest of the signed content. The signature is left out, so a re-encoded signature is still a duplicate. */
export function messageKey(message: UnsignedFloodMessage | FloodMessage): string {
  return digestKey(canonicalMessageBytes(message));
}

/**
 * 128 bits of SHA-256 as 22 base64url characters. Encoding just those bytes gives a flat string of its own; slicing a
 * longer one would keep the whole parent string alive in the seen-set.
 */
export function digestKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest().toString('base64url', 0, 16);
}

/**
 * What tells a message not parsed yet from the others, cheaply: its id and time stamp. An origin never sends two
 * messages under one id (its sequence is kept across restarts), so lines with those of a message accepted here are that
 * message again, or a forgery of it, dropped either way: told apart before the canonical encoding and the schema's parse,
 * which cost more than everything else a duplicate does.
 */
function idKey(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { id, ts } = raw as { id?: unknown; ts?: unknown };
  return typeof id === 'string' && id.length <= MAX_ID_CHARS && typeof ts === 'number' ? `${id} ${ts}` : undefined;
}
const MAX_ID_CHARS = 64;

/** Parse options made once: the router parses every message it receives. */
const REPORT_INPUT = { reportInput: true } as const;

export function createFloodRouter(options: FloodRouterOptions): FloodRouter {
  const { self, neighbours, verify, sign, nextSeq, now, handle, send, shouldSend = () => true, mayOriginate = () => true, budget, onHandlerError } = options;
  const maxAgeMs = options.maxAgeMs ?? SEEN_TTL_MS;
  const skewMs = options.skewMs ?? 30_000;
  // A seen entry lives `maxAgeMs` from receipt. A message is accepted only while younger than maxAgeMs − skewMs
  // and at most skewMs in the future, so by the time its entry expires it is too old to be accepted again.
  const acceptAgeMs = maxAgeMs - skewMs;
  if (acceptAgeMs <= 0) throw new RangeError('maxAgeMs must exceed skewMs');
  const seen = options.seen ?? createSeenSet({ now, ttlMs: maxAgeMs });
  /** The ids and time stamps of the messages accepted, for as long as their seen entries: kept in memory only. */
  const seenIds = createSeenSet({ now, ttlMs: maxAgeMs });

  const rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  let accepted = 0;
  let originated = 0;
  let sent = 0;
  let handlerErrors = 0;

  const reject = (reason: RejectReason, detail?: string): ReceiveResult => {
    rejected[reason]++;
    return detail === undefined ? { accepted: false, reason } : { accepted: false, reason, detail };
  };

  const sendOn = (message: FloodMessage, except: string | null) => {
    for (const to of neighbours()) {
      if (to === except || to === self || !shouldSend(message, to)) continue;
      sent++;
      send(to, message);
    }
  };

  return {
    receive(from, raw) {
      // Most of what flooding delivers is a message this node has already (the sandbox's hosts receive tens of thousands
      // a minute): it is told by its id before anything else is done with it.
      const early = idKey(raw);
      if (early !== undefined && seenIds.has(early)) return reject('duplicate');
      // Another agent of this process may have found this very message good: it is taken as that one parsed it.
      const claim = claimOf(raw);
      const known = claim === undefined ? undefined : recallVerified(claim);
      let message: FloodMessage;
      if (known !== undefined) message = known.message;
      else {
        const parsed = FloodMessageSchema.safeParse(raw, REPORT_INPUT);
        if (!parsed.success) return reject('malformed', listProblems(zodProblems(parsed.error, 'message')));
        message = parsed.data;
      }
      if (!mayOriginate(message)) return reject('forbidden', `${message.origin} may not originate ${message.type}`);
      const t = now();
      if (message.ts - t > skewMs) return reject('from_future');
      if (t - message.ts >= acceptAgeMs) return reject('too_old');
      // One canonical encoding serves both the seen-set key and the signature check.
      const bytes = known?.bytes ?? canonicalMessageBytes(message);
      const key = known?.key ?? digestKey(bytes);
      // Its own message coming back (also one from before a restart, which the seen-set no longer holds).
      if (message.origin === self || seen.has(key)) return reject('duplicate');
      // Checked by each agent all the same: whether it knows the origin, and by which key, is its own view.
      const verdict = verify(message, bytes);
      if (verdict === false || verdict === 'bad_signature') return reject('bad_signature');
      if (verdict === 'unknown_origin') return reject('unknown_origin');
      if (known === undefined && claim !== undefined) rememberVerified(claim, { message, bytes, key });
      // Only a genuine new message spends its origin's budget: a forged or replayed one must not use up another's.
      if (budget && !budget.take(message.origin)) return reject('rate_limited', `${message.origin} sends more than its share`);
      seen.add(key);
      seenIds.add(`${message.id} ${message.ts}`);
      accepted++;
      try {
        handle(message, from);
      } catch (error) {
        handlerErrors++;
        onHandlerError?.(error, message);
      }
      sendOn(message, from);
      return { accepted: true };
    },

    originate(type, body) {
      const unsigned = buildUnsignedMessage(self, nextSeq(), type, now(), body);
      const message = { ...unsigned, sig: sign(unsigned) } as FloodMessage;
      seen.add(messageKey(message));
      originated++;
      sendOn(message, null);
      return message;
    },

    stats: () => ({ accepted, originated, sent, rejected: { ...rejected }, handlerErrors, seenEntries: seen.size, seenBytes: seen.approxBytes() }),
  };
}
