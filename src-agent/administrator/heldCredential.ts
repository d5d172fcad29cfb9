// The administrator credential a root holds: read at start, replaced by a password set here or by a newer record another
// root's heartbeat brings, and stored, the newest last.
import type { AdminCredential, CredentialRecord, FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { credentialOf, supersedes } from './credentialRecord.ts';
import { createSerialQueue } from '../../src-shared/async/serialQueue.ts';

export interface HeldCredentialOptions {
  store: StateStore<CredentialRecord>;
  selfRootId: number;
  now: () => number;
  log(event: string, fields: Record<string, unknown>): void;
}

export interface HeldCredential {
  /** Reads the stored record; a corrupt file is kept aside and blocks logins rather than reopening the default password. */
  start(): Promise<void>;
  /** The record held: what logins are checked against and heartbeats carry. */
  current(): CredentialRecord | undefined;
  /** Why no login can be checked now (the stored record was unreadable), or undefined. */
  blocked(): string | undefined;
  /**
   * Holds a password set here, as a record of this root later than the one held, and stores it. When the store fails,
   * the record held before is held again (unless a newer one came meanwhile) and the failure is thrown.
   */
  change(credential: AdminCredential): Promise<void>;
  /** A record another root sent: held (and stored) when it supersedes the one held. */
  learn(received: CredentialRecord): void;
  /** Learns the credential a root's heartbeat carries, if any. */
  learnFrom(heartbeat: FloodMessageOf<'heartbeat'>): void;
}

export function createHeldCredential(options: HeldCredentialOptions): HeldCredential {
  let record: CredentialRecord | undefined;
  let blocked: string | undefined;
  const serial = createSerialQueue();
  /** Writes the record held when its turn comes, after any earlier write: the file ends with the newest, whatever the order of calls. */
  const persist = (): Promise<void> => serial(() => options.store.save(record!));

  const learn = (received: CredentialRecord) => {
    if (!supersedes(received, record)) return;
    record = received;
    // A record from the other roots replaces an unreadable one here.
    blocked = undefined;
    options.log('credential_learned', { changedAt: received.changedAt, changedBy: received.changedBy });
    persist().catch((error: unknown) => options.log('credential_store_failed', { error: String(error) }));
  };

  return {
    async start() {
      const read = await options.store.load();
      if (read.kind === 'ok') record = read.value;
      if (read.kind === 'corrupt') {
        blocked = `the stored administrator credential is unreadable (${read.reason}; kept as ${read.keptAs}); restore it before logging in`;
        options.log('credential_corrupt', { reason: read.reason, keptAs: read.keptAs });
      }
    },

    current: () => record,
    blocked: () => blocked,

    async change(credential) {
      const previous = record;
      // Later than the one held even when this root's clock lags the root that set that one.
      const changed: CredentialRecord = { credential, changedAt: Math.max(options.now(), (previous?.changedAt ?? -1) + 1), changedBy: options.selfRootId };
      record = changed;
      try {
        await persist();
      } catch (error) {
        if (record === changed) record = previous;
        throw error;
      }
    },

    learn,

    learnFrom(heartbeat) {
      const received = credentialOf(heartbeat);
      if (received) learn(received);
    },
  };
}
