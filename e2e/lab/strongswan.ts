// strongSwan in the lab: one charon per namespace with kernel-libipsec, its own /run, and swanctl helpers that talk to it.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Daemon, StartDaemon } from './daemon.ts';
import { writeFiles, type FileMap } from './files.ts';
import type { Host } from './host.ts';
import { binary, run } from './run.ts';
import { parseListSas, type ChildSa, type IkeSa } from '../../src-node/swanctlPretty.ts';
import { waitFor } from './wait.ts';

export const CHARON_PATH = '/usr/lib/ipsec/charon';
export const IPSEC_PLUGIN_DIR = '/usr/lib/ipsec/plugins';
/**
 * The plugins charon loads. The machine's kernel has XFRM but no ESP, so SAs go to kernel-libipsec (userspace ESP over ipsec0),
 * which must come before kernel-netlink; kdf is needed for IKEv2 key derivation.
 */
export const CHARON_PLUGINS = [
  'random', 'nonce', 'openssl', 'kdf', 'pem', 'pkcs1', 'pkcs8', 'x509', 'pubkey', 'revocation', 'constraints',
  'kernel-libipsec', 'kernel-netlink', 'socket-default', 'vici', 'updown',
] as const;
/** swanctl complains about each credential folder that is missing; creating them keeps its output readable. */
const SWANCTL_SUBDIRS = ['conf.d', 'x509', 'x509ca', 'x509ocsp', 'x509aa', 'x509ac', 'x509crl', 'pubkey', 'private', 'rsa', 'ecdsa', 'bliss', 'pkcs8', 'pkcs12'];

export interface CharonOptions {
  /** Written to the instance's swanctl/swanctl.conf. */
  swanctlConf?: string;
  /** A folder copied into swanctl/ first, e.g. a node's rendered output holding swanctl.conf. */
  fromDir?: string;
  /** More files, relative to swanctl/ (x509/…, private/…, conf.d/…), written with mode 0600. */
  files?: FileMap;
  /** Run `swanctl --load-all` once charon is up; default true when any configuration was given. */
  load?: boolean;
  /** Instance label and folder name; default `charon-<host>`. */
  name?: string;
  /** How long charon may take to open its vici socket; default 10 s. */
  readyTimeoutMs?: number;
}

export interface SwanctlCall {
  timeoutMs?: number;
}

/** The strongswan.conf of one instance: minimal plugins, a file log, and the vici socket inside the instance's run/. */
export function renderStrongswanConf(instanceDir: string): string {
  return `# Written by the Raincoat lab harness for one charon instance.
charon {
  load = ${CHARON_PLUGINS.join(' ')}
  filelog {
    main {
      path = ${join(instanceDir, 'charon.log')}
      time_format = %T
      append = no
      flush_line = yes
      default = 1
      knl = 2
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
swanctl {
  socket = unix://${join(instanceDir, 'run', 'charon.vici')}
}
`;
}

export class Charon {
  readonly host: Host;
  readonly daemon: Daemon;
  /** The instance folder: strongswan.conf, swanctl/, run/, charon.log, charon.out. */
  readonly dir: string;
  readonly swanctlDir: string;
  readonly confPath: string;
  /** vici socket, reachable from the host's mount namespace through the instance folder. */
  readonly viciUri: string;
  /** What any swanctl (the agent's too) needs in its environment to talk to this charon and read its folder. */
  readonly env: { STRONGSWAN_CONF: string; SWANCTL_DIR: string };

  constructor(host: Host, daemon: Daemon, dir: string) {
    this.host = host;
    this.daemon = daemon;
    this.dir = dir;
    this.swanctlDir = join(dir, 'swanctl');
    this.confPath = join(dir, 'strongswan.conf');
    this.viciUri = `unix://${join(dir, 'run', 'charon.vici')}`;
    this.env = { STRONGSWAN_CONF: this.confPath, SWANCTL_DIR: this.swanctlDir };
  }

  /** Runs swanctl against this charon (`--uri` given explicitly); resolves with its output, throws with it on failure. */
  async swanctl(args: readonly string[], call: SwanctlCall = {}): Promise<string> {
    const r = await run([binary('swanctl'), ...args, '--uri', this.viciUri], {
      env: { ...process.env, ...this.env },
      timeoutMs: call.timeoutMs ?? 30_000,
    });
    return r.stdout + r.stderr;
  }

  /** `swanctl --load-all`: connections, secrets, credentials and pools from swanctl/. */
  loadAll(): Promise<string> {
    return this.swanctl(['--load-all']);
  }

  /** `swanctl --initiate --child NAME`, waiting up to `timeoutS` (default 10) for the CHILD_SA. */
  initiate(child: string, options: { ike?: string; timeoutS?: number } = {}): Promise<string> {
    const timeoutS = options.timeoutS ?? 10;
    const ike = options.ike === undefined ? [] : ['--ike', options.ike];
    return this.swanctl(['--initiate', '--child', child, ...ike, '--timeout', String(timeoutS)], { timeoutMs: (timeoutS + 5) * 1000 });
  }

  /** `swanctl --terminate` of an IKE_SA or CHILD_SA by configuration name. */
  terminate(target: { ike: string } | { child: string }, options: { timeoutS?: number } = {}): Promise<string> {
    const which = 'ike' in target ? ['--ike', target.ike] : ['--child', target.child];
    return this.swanctl(['--terminate', ...which, '--timeout', String(options.timeoutS ?? 5)]);
  }

  /** The IKE_SAs and their CHILD_SAs charon has now. */
  async listSas(): Promise<IkeSa[]> {
    return parseListSas(await this.swanctl(['--list-sas', '--pretty']));
  }

  /** Waits until a CHILD_SA of configuration `child` is INSTALLED; resolves with it and its IKE_SA. */
  waitForChildSa(child: string, options: { timeoutMs?: number } = {}): Promise<{ ike: IkeSa; child: ChildSa }> {
    return waitFor(
      async () => {
        if (!this.daemon.running) throw new Error(`lab: ${this.daemon.name} exited\n${this.daemon.tail()}`);
        for (const ike of await this.listSas()) {
          const found = ike.children.find((c) => c.name === child && c.state === 'INSTALLED');
          if (found !== undefined) return { ike, child: found };
        }
        return null;
      },
      { timeoutMs: options.timeoutMs ?? 10_000, intervalMs: 20, what: `CHILD_SA ${child} in ${this.daemon.name}`, describe: () => this.daemon.tail() },
    );
  }

  stop(options?: { graceMs?: number }): ReturnType<Daemon['stop']> {
    return this.daemon.stop(options);
  }
}

/** Whether a unix socket accepts a connection now (closed again at once). */
function acceptsConnections(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Prepares the instance folder and its configuration, without starting anything. */
function prepareCharonDir(dir: string, options: CharonOptions): void {
  mkdirSync(join(dir, 'run'), { recursive: true, mode: 0o700 });
  for (const sub of SWANCTL_SUBDIRS) mkdirSync(join(dir, 'swanctl', sub), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'strongswan.conf'), renderStrongswanConf(dir), { mode: 0o600 });
  if (options.fromDir !== undefined) cpSync(options.fromDir, join(dir, 'swanctl'), { recursive: true });
  const files: Record<string, string | Uint8Array> = { ...options.files };
  if (options.swanctlConf !== undefined) files['swanctl.conf'] = options.swanctlConf;
  writeFiles(join(dir, 'swanctl'), files);
}

/**
 * Starts charon in `host`'s namespace, in a private mount namespace whose /run is the instance's run/ (charon's pid file
 * and sockets are fixed under /run), waits for its vici socket, and loads the configuration if asked.
 */
export async function startCharon(startDaemon: StartDaemon, host: Host, dir: string, options: CharonOptions): Promise<Charon> {
  prepareCharonDir(dir, options);
  const name = options.name ?? `charon-${host.name}`;
  const daemon = startDaemon({
    name,
    ns: host.ns,
    argv: [binary('unshare'), '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" /run && exec "$2"', 'sh', join(dir, 'run'), CHARON_PATH],
    outputPath: join(dir, 'charon.out'),
    logPath: join(dir, 'charon.log'),
    env: { ...process.env, STRONGSWAN_CONF: join(dir, 'strongswan.conf') },
  });
  const charon = new Charon(host, daemon, dir);
  try {
    const vici = join(dir, 'run', 'charon.vici');
    await waitFor(
      async () => {
        if (!daemon.running) throw new Error(`lab: ${name} exited while starting\n${daemon.tail()}`);
        // The socket file appears at bind(), a moment before charon listens: only a connection that succeeds means ready.
        return existsSync(vici) && (await acceptsConnections(vici));
      },
      { timeoutMs: options.readyTimeoutMs ?? 10_000, what: `${name}'s vici socket`, describe: () => daemon.tail() },
    );
    const hasConfig = options.swanctlConf !== undefined || options.fromDir !== undefined || options.files !== undefined;
    if (options.load ?? hasConfig) await charon.loadAll();
  } catch (e) {
    await daemon.stop();
    throw e;
  }
  return charon;
}
