// The audit trail at a root, started: what happens here recorded and flooded to every root as an `audit` message, what
// the other roots flood kept beside it, all of it on disk, and the routes that record into it and read it.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { auditReason, auditUser } from '../../src-shared/protocol/audit.ts';
import type { AuditEntry, AuditEvent } from '../../src-shared/protocol/audit.ts';
import type { FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import type { RefusalCode } from '../../src-shared/protocol/refusals.ts';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import type { AdminLockOptions } from '../administrator/adminLock.ts';
import type { AgentLog } from '../agentLog.ts';
import type { Clock } from '../clock.ts';
import type { JsonHandler } from '../wire/route.ts';
import { auditedRoutes } from './auditedRoutes.ts';
import type { RecordedRoutes } from './auditedRoutes.ts';
import { AuditFileSchema, createAuditFile } from './auditFile.ts';
import { AUDIT_LOG_LIMITS, createAuditLog } from './auditLog.ts';
import type { AuditLogLimits } from './auditLog.ts';
import { lockAuditEvent } from './lockAudit.ts';
import { createRefusalRecords } from './refusalRecords.ts';

const UNCHECKED: ReadonlySet<RefusalCode> = new Set(['rate_limited', 'unavailable']);

export interface AuditOptions {
  /** This root's node name and id. */
  self: string;
  rootId: number;
  /** The trail's file is in it. */
  dataDir: string;
  clock: Pick<Clock, 'now'>;
  /** Floods an entry recorded here to every root: the router's originate of an `audit` message. */
  originate: (entry: AuditEntry) => void;
  log: AgentLog;
  limits?: AuditLogLimits;
  newId?: () => string;
}

export interface AuditRoutes extends RecordedRoutes {
  recordAudit: JsonHandler<'recordAudit'>;
  readAudit: JsonHandler<'readAudit'>;
}

export interface Audit {
  messageHandlers: { audit(message: FloodMessageOf<'audit'>): void };
  /** The administrator lock's changes of this root's own login (startAdministrator's onLocalLogin). */
  onLocalLogin: NonNullable<AdminLockOptions['onLocalLogin']>;
  /** The audit routes, and the routes the trail records wrapped; `userOf` names a session token's administrator. */
  routes(recorded: RecordedRoutes, userOf: (token: string) => string | undefined): AuditRoutes;
  /** Resolves when the entries kept so far are on disk. */
  settled(): Promise<void>;
}

export async function startAudit(options: AuditOptions): Promise<Audit> {
  const { clock, log, rootId } = options;
  const newId = options.newId ?? (() => randomBytes(12).toString('base64url'));
  const store = jsonStateFile(path.join(options.dataDir, 'audit-log.json'), AuditFileSchema);
  const file = createAuditFile(store, () => trail.entries(), (error) => log('audit_store_failed', { error: String(error) }));
  const loaded = await file.load();
  if (loaded.problem) log('audit_file_problem', { problem: loaded.problem });
  const trail = createAuditLog(options.limits ?? AUDIT_LOG_LIMITS, loaded.entries);
  const refusals = createRefusalRecords({ now: clock.now });

  const keep = (entry: AuditEntry) => {
    if (trail.add(entry)) file.changed();
  };
  /** Records an event here: kept, and flooded for every other root to keep. Never fails the request it records. */
  const record = (event: AuditEvent, by: { user?: string | undefined; address?: string | undefined; at?: number }): AuditEntry | undefined => {
    const entry: AuditEntry = {
      id: newId(),
      at: by.at ?? clock.now(),
      root: rootId,
      ...(by.user === undefined ? {} : { user: auditUser(by.user) }),
      ...(by.address === undefined ? {} : { address: by.address }),
      event,
    };
    try {
      // The flood checks the entry against its schema before it signs it: what is kept here is what every root keeps.
      options.originate(entry);
    } catch (error) {
      log('audit_record_failed', { kind: event.kind, error: String(error) });
      return undefined;
    }
    keep(entry);
    return entry;
  };

  return {
    messageHandlers: {
      audit(message) {
        // A root records only what happened at it: an entry naming another root is not this origin's to tell.
        if (parseNodeName(message.origin)?.rootId !== message.body.root) return log('audit_entry_refused', { id: message.id, origin: message.origin, root: message.body.root });
        keep(message.body);
      },
    },
    onLocalLogin(cause, before, after) {
      const change = lockAuditEvent(cause, before, after);
      if (change) record(change.event, { user: change.user });
    },
    routes(recorded, userOf) {
      return {
        ...auditedRoutes(recorded, {
          record,
          userOf,
          now: clock.now,
          refused(user, address, refusal) {
            // A login turned away before any password was checked (too many failures, no check free, the roots not
            // all heard yet) is counted, and told with the next refusal recorded from there.
            if (UNCHECKED.has(refusal.code)) return refusals.skip(address);
            const verdict = refusals.admit(address);
            if (verdict.record) record({ kind: 'login-refused', refusal: refusal.code, reason: auditReason(refusal.message), alsoRefused: verdict.alsoRefused }, { user, address });
          },
        }),
        recordAudit: {
          handle(caller, note) {
            const entry = record(note, { user: caller.bearer === undefined ? undefined : userOf(caller.bearer), address: caller.address });
            if (entry === undefined) throw new Error('the audit entry could not be recorded');
            return { json: { id: entry.id } };
          },
        },
        readAudit: { handle: (_caller, query) => ({ json: { node: options.self, ...trail.read(query) } }) },
      };
    },
    settled: () => file.settled(),
  };
}
