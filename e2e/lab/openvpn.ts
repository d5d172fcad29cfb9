// OpenVPN in the lab: one instance per call, its files in its own folder, ready once it logs "Initialization Sequence Completed".
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon, StartDaemon } from './daemon.ts';
import { writeFiles, type FileMap } from './files.ts';
import type { Host } from './host.ts';
import { binary } from './run.ts';

export const OPENVPN_READY = 'Initialization Sequence Completed';
/** Lines after which waiting on is pointless: the instance will not come up by itself. */
const OPENVPN_FAILURE = /Exiting due to fatal error|VERIFY ERROR|AUTH_FAILED|Options error/;

export interface OpenvpnOptions {
  /** Instance label and folder name; default `openvpn-<host>`, with a counter when taken. */
  name?: string;
  /** Wait for the ready line before resolving; default true. A client needs its server ready first. */
  waitReady?: boolean;
  readyTimeoutMs?: number;
  /** Arguments after `--config`, which override the file (e.g. `['--status', path, '1']`). */
  extraArgs?: readonly string[];
}

export class Openvpn {
  readonly host: Host;
  readonly daemon: Daemon;
  /** The instance folder: the working directory, so the configuration may name its files relatively. */
  readonly dir: string;
  readonly configPath: string;

  constructor(host: Host, daemon: Daemon, dir: string, configPath: string) {
    this.host = host;
    this.daemon = daemon;
    this.dir = dir;
    this.configPath = configPath;
  }

  /** Resolves once OpenVPN logged "Initialization Sequence Completed" (after `since`, a `daemon.logMark()`). */
  async waitReady(options: { timeoutMs?: number; since?: number } = {}): Promise<void> {
    await this.daemon.waitForLog(OPENVPN_READY, { timeoutMs: options.timeoutMs ?? 10_000, since: options.since, failOn: OPENVPN_FAILURE });
  }

  stop(options?: { graceMs?: number }): ReturnType<Daemon['stop']> {
    return this.daemon.stop(options);
  }
}

/**
 * Writes `files` and the configuration into `dir` and starts `openvpn --cd DIR --config FILE --log DIR/openvpn.log` in the
 * host's namespace. A `daemon` directive is refused: the lab must keep the process as its child to stop it.
 */
export async function startOpenvpn(
  startDaemon: StartDaemon,
  host: Host,
  dir: string,
  configText: string,
  files: FileMap,
  options: OpenvpnOptions,
): Promise<Openvpn> {
  if (/^\s*daemon\b/m.test(configText)) throw new Error('lab: the OpenVPN configuration must not contain "daemon"');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFiles(dir, files);
  const configPath = join(dir, 'openvpn.conf');
  writeFileSync(configPath, configText, { mode: 0o600 });
  const logPath = join(dir, 'openvpn.log');
  const daemon = startDaemon({
    name: options.name ?? `openvpn-${host.name}`,
    ns: host.ns,
    argv: [binary('openvpn'), '--cd', dir, '--config', configPath, ...(options.extraArgs ?? []), '--log', logPath],
    outputPath: join(dir, 'openvpn.out'),
    logPath,
    env: process.env,
    cwd: dir,
  });
  const openvpn = new Openvpn(host, daemon, dir, configPath);
  if (options.waitReady ?? true) {
    try {
      await openvpn.waitReady({ timeoutMs: options.readyTimeoutMs });
    } catch (e) {
      await daemon.stop();
      throw e;
    }
  }
  return openvpn;
}
