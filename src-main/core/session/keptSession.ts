// A session kept across a restart of the application: written when it is established, removed at its end, and taken up
// again at the next start if the entry root still knows it, so a killed application does not lock its administrator
// out of the overlay until the session expires there.
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { jsonStateFile } from '../../../src-node/jsonStateFile.ts';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { NodeNameSchema } from '../../../src-shared/plan/nodeNames.ts';
import type { AgentClient } from '../agentClient/agentClient.ts';
import type { OsBox } from '../secrets/osBox.ts';
import type { Timers } from '../agentClient/timers.ts';
import { EXPIRY_WARNING_MS, SESSION_IDLE_MS } from './expiry.ts';
import { openSession } from './session.ts';
import type { KeptSession, Session, SessionEvent } from './session.ts';

/**
 * Format history:
 * - 1 (2026-12-07): first version.
 */
const KEPT_SESSION_VERSION = 1;

/** As the file holds it: the token sealed by the OS's store where there is one (the application's safeStorage), else as is (mode 0600). */
const StoredSessionSchema = z
  .strictObject({
    version: z.literal(KEPT_SESSION_VERSION),
    entry: NodeNameSchema,
    user: z.string().min(1).max(64),
    loginId: z.string().min(1).max(128),
    token: z.string().min(1).max(256).optional(),
    sealedToken: z.strictObject({ box: z.string().min(1).max(64), data: z.base64().max(4096) }).optional(),
  })
  .refine((stored) => (stored.token === undefined) !== (stored.sealedToken === undefined), 'expected the token, sealed or not, once');

export const KEPT_SESSION_FILE = 'session.json';

export interface KeptSessionFile {
  /** The session kept, or undefined (none, unreadable, or sealed by a store that does not open it here). */
  load(): Promise<KeptSession | undefined>;
  save(kept: KeptSession): Promise<void>;
  clear(): Promise<void>;
}

/** The file (mode 0600, in the overlay's own state folder, which is 0700); the token sealed by `box` when given. */
export function keptSessionFile(path: string, now: () => number, box?: OsBox): KeptSessionFile {
  const file = jsonStateFile(path, StoredSessionSchema, now);
  return {
    async load() {
      const read = await file.load();
      if (read.kind !== 'ok') return undefined;
      const { version: _version, token, sealedToken, ...rest } = read.value;
      if (token !== undefined) return { ...rest, token };
      if (box === undefined || sealedToken!.box !== box.name) return undefined;
      const opened = await box.open(Buffer.from(sealedToken!.data, 'base64')).catch(() => undefined);
      return opened === undefined ? undefined : { ...rest, token: Buffer.from(opened.secret).toString('utf8') };
    },
    async save({ token, ...rest }) {
      const sealed = box && { box: box.name, data: Buffer.from(await box.seal(Buffer.from(token, 'utf8'))).toString('base64') };
      await file.save(sealed ? { version: KEPT_SESSION_VERSION, ...rest, sealedToken: sealed } : { version: KEPT_SESSION_VERSION, ...rest, token });
    },
    clear: () => rm(path, { force: true }),
  };
}

export interface ResumeSessionOptions {
  client: AgentClient;
  now: () => number;
  timers: Timers;
  idleMs?: number;
  warnMs?: number;
  onEvent: (event: SessionEvent) => void;
}

export type Resumed = { ok: true; session: Session } | { ok: false; reason: string };

/** The kept session again, if the entry root still knows it (a status read with its token says so). */
export async function resumeSession(access: OverlayAccess, kept: KeptSession, options: ResumeSessionOptions): Promise<Resumed> {
  const { client } = options;
  if (kept.entry !== access.entry) {
    client.close();
    return { ok: false, reason: `it was at ${kept.entry}, and the overlay's entry root is now ${access.entry}` };
  }
  const checked = await client.withSession(kept.token).status();
  if (!checked.ok) {
    client.close();
    return { ok: false, reason: `${kept.entry} no longer knows it: ${checked.reason}` };
  }
  const session = openSession({
    client,
    token: kept.token,
    user: kept.user,
    entry: kept.entry,
    loginId: kept.loginId,
    lastActivity: options.now(),
    now: options.now,
    timers: options.timers,
    idleMs: options.idleMs ?? SESSION_IDLE_MS,
    warnMs: options.warnMs ?? EXPIRY_WARNING_MS,
    onEvent: options.onEvent,
  });
  return { ok: true, session };
}
