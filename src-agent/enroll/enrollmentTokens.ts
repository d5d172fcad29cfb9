// Per-root enrollment tokens for client VMs: limited uses, an expiry, revocable, and stored as hashes only.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { TokenRecordSchema } from '../../src-shared/protocol/enrollmentToken.ts';
import type { TokenInfo, TokenRecord } from '../../src-shared/protocol/enrollmentToken.ts';

/** What the application sees of each token, and the hash of its secret (the token itself is never stored). */
export const EnrollmentTokensFileSchema = z.strictObject({ version: z.literal(1), tokens: z.array(TokenRecordSchema).max(10_000) });
export type EnrollmentTokensFile = z.infer<typeof EnrollmentTokensFileSchema>;

/** Tokens kept at most; spent and expired ones go first. */
const MAX_TOKENS = 1_000;

export type Consumed = { ok: true; id: string } | { ok: false; reason: string };
export type TokenRequest = { uses: number; ttlMs: number; label?: string };

export interface EnrollmentTokens {
  /** Reads the stored tokens; a corrupt file is kept aside (reported) and no token works until new ones are made. */
  start(): Promise<string | undefined>;
  create(request: TokenRequest): Promise<{ token: string; info: TokenInfo }>;
  /** Keeps a token made at another root for this one (a grant); one kept already stays as it is. */
  keep(record: TokenRecord): Promise<TokenInfo>;
  /** Spends one use of a token, if it is valid; saved before the answer. */
  consume(token: string): Promise<Consumed>;
  revoke(id: string): Promise<boolean>;
  list(): TokenInfo[];
}

/** `rce_<id>.<secret>`: the id finds the record, the secret proves the holder was given the token. */
const TOKEN = /^rce_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('base64url');
export const tokenInfo = ({ hash: _hash, ...rest }: TokenRecord): TokenInfo => rest;

/** A new token, and the record its root keeps: made where the administrator asks, kept by the root it is for. */
export function mintToken({ uses, ttlMs, label }: TokenRequest, now: number): { token: string; record: TokenRecord } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record: TokenRecord = { id, hash: hashOf(secret), ...(label === undefined ? {} : { label }), usesLeft: uses, expiresAt: now + ttlMs, createdAt: now, revoked: false };
  return { token: `rce_${id}.${secret}`, record };
}

export function createEnrollmentTokens(options: { store: StateStore<EnrollmentTokensFile>; now: () => number }): EnrollmentTokens {
  const { store, now } = options;
  let tokens: TokenRecord[] = [];
  const save = () => store.save({ version: 1, tokens });
  const keep = async (record: TokenRecord): Promise<TokenInfo> => {
    const kept = tokens.find((r) => r.id === record.id);
    if (kept) return tokenInfo(kept);
    const t = now();
    const live = tokens.filter((r) => !r.revoked && r.usesLeft > 0 && r.expiresAt > t);
    // A copy of its own, for it counts uses down: a granted record comes in a flooded message, which is frozen (and
    // shared by the agents of a host that runs many: verifiedMessages.ts).
    tokens = [...live, { ...record }].slice(-MAX_TOKENS);
    await save();
    return tokenInfo(record);
  };

  return {
    async start() {
      const read = await store.load();
      if (read.kind === 'ok') tokens = read.value.tokens;
      return read.kind === 'corrupt' ? `the enrollment token file was corrupt (${read.reason}); kept it as ${read.keptAs}` : undefined;
    },

    async create(request) {
      const { token, record } = mintToken(request, now());
      return { token, info: await keep(record) };
    },

    keep,

    async consume(token) {
      const match = TOKEN.exec(token);
      const record = match ? tokens.find((r) => r.id === match[1]) : undefined;
      // One answer for every kind of wrong token: a guesser learns nothing about which ids exist.
      if (!match || !record || !timingSafeEqual(Buffer.from(hashOf(match[2]!)), Buffer.from(record.hash))) return { ok: false, reason: 'not a valid enrollment token for this root' };
      if (record.revoked) return { ok: false, reason: 'the enrollment token was revoked' };
      if (record.expiresAt <= now()) return { ok: false, reason: 'the enrollment token has expired' };
      if (record.usesLeft === 0) return { ok: false, reason: 'the enrollment token has been used up' };
      record.usesLeft--;
      await save();
      return { ok: true, id: record.id };
    },

    async revoke(id) {
      const record = tokens.find((r) => r.id === id);
      if (!record) return false;
      record.revoked = true;
      await save();
      return true;
    },

    list: () => tokens.map(tokenInfo),
  };
}
