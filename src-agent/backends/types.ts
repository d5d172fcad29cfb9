// The contract between the deploy engine and the backends (vyos, linux, dry-run) that put a node's configuration into effect.
import { z } from 'zod';
import { DeployBackendSchema, type DeployBackend } from '../../src-shared/protocol/deployPackage.ts';

export const SECRET_FILE_MODE = 0o600;
export const PLAIN_FILE_MODE = 0o644;

/** Files by path relative to a backend's folder. Content is UTF-8 text: everything Raincoat writes is. */
export const FileSnapshotSchema = z.record(z.string(), z.strictObject({ content: z.string(), mode: z.number().int().min(0).max(0o777) }));
export type FileSnapshot = z.infer<typeof FileSnapshotSchema>;

/** What a backend needs to put the configuration back as it was; JSON, so it survives a restart in the state file. */
export const BackupSchema = z.strictObject({
  backend: DeployBackendSchema,
  files: FileSnapshotSchema,
  /** VyOS only: the text of /config/config.boot when the backup was taken. */
  configBoot: z.string().optional(),
});
export type Backup = z.infer<typeof BackupSchema>;

/** A node's part with its secrets opened and substituted: ready to write and run. Never log it. */
export interface ResolvedPart {
  files: FileSnapshot;
  /** VyOS `set`/`delete` lines; empty for other backends. */
  commands: string[];
}

export interface Backend {
  readonly name: DeployBackend;
  /** Whether this backend can apply a part rendered for `backend` (dry-run takes anything, to write it down). */
  accepts(backend: DeployBackend): boolean;
  /** Snapshot of everything Raincoat manages on this node, taken before any change. */
  backup(): Promise<Backup>;
  /** Makes the node's configuration exactly `part`; throws with a reason on failure and leaves rollback to `restore`. */
  apply(part: ResolvedPart): Promise<void>;
  restore(backup: Backup): Promise<void>;
  /** After the agent starts: brings the daemons in line with the files already in place (a rebooted host has none running). */
  resume(): Promise<void>;
  /** Ends what is left of tunnels deleted from the topology (by connection name, `tunnel-<a>-<b>`). */
  teardownTunnels(names: string[]): Promise<void>;
  /** Removes everything Raincoat set up: the node has left the overlay. */
  teardownAll(): Promise<void>;
}

export function assertBackupFor(backend: DeployBackend, backup: Backup): void {
  if (backup.backend !== backend) throw new Error(`a ${backup.backend} backup cannot be restored by the ${backend} backend`);
}
