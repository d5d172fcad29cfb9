// The administrator's credential shared among roots: which of two records wins, how a root stores its own, and when the default password must wait.
import { z } from 'zod';
import { AdminCredentialSchema, CredentialRecordSchema } from '../../src-shared/protocol/messages.ts';
import type { CredentialRecord, FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';

/**
 * True when `candidate` should replace `current`: set later, or at the same time by a lower root (then by the lower hash,
 * so any two roots holding any two records agree which one wins).
 */
export function supersedes(candidate: CredentialRecord, current: CredentialRecord | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.changedAt !== current.changedAt) return candidate.changedAt > current.changedAt;
  if (candidate.changedBy !== current.changedBy) return candidate.changedBy < current.changedBy;
  return candidate.credential.hash < current.credential.hash;
}

/**
 * A root's stored credential: the record, or a bare credential stored before roots shared theirs, read as set at time 0
 * here (so any credential set since, anywhere, wins over it).
 */
export function storedCredentialSchema(selfRootId: number): z.ZodType<CredentialRecord> {
  return z.union([
    CredentialRecordSchema,
    AdminCredentialSchema.transform((credential): CredentialRecord => ({ credential, changedAt: 0, changedBy: selfRootId })),
  ]);
}

/**
 * Why a root that holds no credential refuses the default password now, or undefined: a root it expects but has not
 * heard from since it started may hold a password set elsewhere, which that root's first heartbeat would bring.
 */
export function defaultPasswordRefusal(unheardRoots: readonly number[]): string | undefined {
  if (unheardRoots.length === 0) return undefined;
  const list = unheardRoots.map((id) => `root-${id}`).join(', ');
  return `no administrator password is known here yet, and ${list} ${unheardRoots.length === 1 ? 'has' : 'have'} not been heard from since this root started: a password set there would arrive with ${unheardRoots.length === 1 ? 'its' : 'their'} next heartbeat, so the default password is refused until then (or until ${unheardRoots.length === 1 ? 'it is' : 'they are'} known down)`;
}

/** The credential a heartbeat carries, from a root only: a leaf is never trusted with the administrator's password. */
export function credentialOf(heartbeat: FloodMessageOf<'heartbeat'>): CredentialRecord | undefined {
  return parseNodeName(heartbeat.origin)?.role === 'root' ? heartbeat.body.adminCredential : undefined;
}
