// The lab: namespaces joined by veths, daemons inside them, and one close() that removes all of it (also on exit or signals).
import { mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, type SpawnDaemonOptions } from './daemon.ts';
import { onProcessEnd } from './exitCleanup.ts';
import { writeFiles, type FileMap } from './files.ts';
import { Host, SWITCH_BRIDGE } from './host.ts';
import { startOpenvpn, type Openvpn, type OpenvpnOptions } from './openvpn.ts';
import { findResidue, labDir, purgeRun, sweepStaleLabs, writeOwnerRecord, type Residue } from './residue.ts';
import { binary, run } from './run.ts';
import { freeIfName, LAB_ENV_MARKER, makeRunId, namespaceName } from './runId.ts';
import { startCharon, type Charon, type CharonOptions } from './strongswan.ts';

/** Where `keepFiles` moves a closed lab's folder; the sweeper never looks there. */
export const KEPT_DIR = join(tmpdir(), 'raincoat-lab-kept');

export interface CreateLabOptions {
  /** Keep the lab's folder (logs, configurations) after close, moved under KEPT_DIR; also with RAINCOAT_LAB_KEEP=1. */
  keepFiles?: boolean;
  /** Remove leftovers of crashed earlier runs first; default true. */
  sweep?: boolean;
}

export interface LinkOptions {
  /** Addresses (CIDR) for a's end of the veth. */
  a?: string | readonly string[];
  /** Addresses (CIDR) for b's end. */
  b?: string | readonly string[];
  /** Interface names (≤ 15 characters); default `to-<peer>`, with a counter when that is taken. */
  aIf?: string;
  bIf?: string;
  mtu?: number;
}

export interface LinkEnd {
  host: Host;
  ifname: string;
}
export interface Link {
  a: LinkEnd;
  b: LinkEnd;
}

export interface SpawnOptions {
  /** Label and log file name (`<name>.log` in the lab folder); default the program's base name, with a counter when taken. */
  name?: string;
  /** Added to the environment. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Creates a lab with a fresh run id and folder, after sweeping what crashed earlier runs left behind. */
export async function createLab(options: CreateLabOptions = {}): Promise<Lab> {
  if (options.sweep ?? true) sweepStaleLabs();
  return new Lab(options);
}

export class Lab {
  /** Prefix of everything this lab creates: `rcl<pid>-<random>`. */
  readonly runId: string;
  /** The lab's own folder (mode 0700): daemon instances, logs, files. Removed by close() unless kept. */
  readonly dir: string;
  readonly #keep: boolean;
  readonly #hosts = new Map<string, Host>();
  readonly #daemons: Daemon[] = [];
  readonly #names = new Set<string>();
  readonly #unregister: () => void;
  #closing: Promise<void> | null = null;

  constructor(options: CreateLabOptions = {}) {
    this.runId = makeRunId(process.pid);
    this.dir = labDir(this.runId);
    this.#keep = options.keepFiles ?? process.env['RAINCOAT_LAB_KEEP'] === '1';
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeOwnerRecord(this.runId, process.pid);
    this.#unregister = onProcessEnd(() => this.#closeNow());
  }

  get closed(): boolean {
    return this.#closing !== null;
  }

  /** The host or switch added under `name`. */
  host(name: string): Host {
    const host = this.#hosts.get(name);
    if (host === undefined) throw new Error(`lab: no host "${name}"`);
    return host;
  }

  /** A new namespace with lo up; `forwarding` turns on IPv4 forwarding (routers). */
  async addHost(name: string, options: { forwarding?: boolean } = {}): Promise<Host> {
    const host = await this.#addNamespace(name, false);
    if (options.forwarding === true) await host.setForwarding(true);
    return host;
  }

  /** A namespace holding one bridge: an L2 segment ("the internet") that several hosts can be linked to. */
  async addSwitch(name: string): Promise<Host> {
    const sw = await this.#addNamespace(name, true);
    await sw.ip(['link', 'add', SWITCH_BRIDGE, 'type', 'bridge'], ['link', 'set', SWITCH_BRIDGE, 'up']);
    sw.interfaces.add(SWITCH_BRIDGE);
    return sw;
  }

  /** Joins two namespaces with a veth, brings both ends up and adds the addresses; an end on a switch becomes a bridge port. */
  async link(a: Host, b: Host, options: LinkOptions = {}): Promise<Link> {
    this.#assertOpen();
    if (a === b) throw new Error('lab: cannot link a host to itself');
    const aIf = pickIfName(a, options.aIf, `to-${b.name}`);
    const bIf = pickIfName(b, options.bIf, `to-${a.name}`);
    const mtu = options.mtu === undefined ? [] : ['mtu', String(options.mtu)];
    await run([binary('ip'), 'link', 'add', aIf, 'netns', a.ns, ...mtu, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.ns, ...mtu]);
    a.interfaces.add(aIf);
    b.interfaces.add(bIf);
    await configureEnd(a, aIf, options.a);
    await configureEnd(b, bIf, options.b);
    return { a: { host: a, ifname: aIf }, b: { host: b, ifname: bIf } };
  }

  /** Starts a process in `host`'s namespace, its output in `<dir>/<name>.log`; the lab stops it at close. */
  spawn(host: Host, argv: readonly string[], options: SpawnOptions = {}): Daemon {
    const name = this.#uniqueName(options.name ?? `${(argv[0] ?? 'process').split('/').pop()}-${host.name}`);
    return this.#spawnNamed(name, host, argv, options);
  }

  #spawnNamed(name: string, host: Host, argv: readonly string[], options: SpawnOptions): Daemon {
    return this.#startDaemon({
      name,
      ns: host.ns,
      argv,
      outputPath: join(this.dir, `${name}.log`),
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
    });
  }

  /**
   * Starts charon (kernel-libipsec) in `host`'s namespace with its own folder and /run, waits for its vici socket and,
   * when a configuration is given, runs `swanctl --load-all`. Where only one end starts a tunnel, load the other end first.
   */
  startCharon(host: Host, options: CharonOptions = {}): Promise<Charon> {
    const name = this.#uniqueName(options.name ?? `charon-${host.name}`);
    return startCharon(this.#startDaemon, host, join(this.dir, name), { ...options, name });
  }

  /**
   * Starts OpenVPN in `host`'s namespace with `configText`, `files` written beside it (relative paths in the configuration
   * work), and waits for "Initialization Sequence Completed" unless told not to. Start a server before its clients.
   */
  startOpenvpn(host: Host, configText: string, files: FileMap = {}, options: OpenvpnOptions = {}): Promise<Openvpn> {
    const name = this.#uniqueName(options.name ?? `openvpn-${host.name}`);
    return startOpenvpn(this.#startDaemon, host, join(this.dir, name), configText, files, { ...options, name });
  }

  /**
   * Makes `address:port` inside `host`'s namespace reachable from the test process: a relay in the namespace listens on a
   * unix socket in the lab folder (`http(s).request({ socketPath })`, `net.connect(socketPath)`).
   */
  async exposeTcp(host: Host, address: string, port: number): Promise<{ socketPath: string; daemon: Daemon }> {
    const name = this.#uniqueName(`bridge-${host.name}`);
    const socketPath = join(this.dir, `${name}.sock`);
    const relay = [process.execPath, join(import.meta.dirname, 'unixTcpBridge.ts'), socketPath, address, String(port)];
    const daemon = this.#spawnNamed(name, host, relay, {});
    await daemon.waitForLog('listening on');
    return { socketPath, daemon };
  }

  /** Writes files (mode 0600) under `<dir>/<subdir>` and returns that folder's path. */
  writeFiles(subdir: string, files: FileMap): string {
    const target = join(this.dir, subdir);
    mkdirSync(target, { recursive: true, mode: 0o700 });
    writeFiles(target, files);
    return target;
  }

  /** What of this lab exists on the machine right now (namespaces, processes); empty after close(). */
  residue(): Residue {
    return findResidue(this.runId);
  }

  /**
   * Stops every daemon (SIGTERM, then SIGKILL after the grace time), kills whatever else runs in the lab's namespaces,
   * deletes the namespaces and the folder. Safe to call more than once; later calls wait for the first.
   */
  close(options: { graceMs?: number } = {}): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await Promise.all(this.#daemons.map((d) => d.stop(options)));
      } finally {
        this.#finish();
      }
    })();
    return this.#closing;
  }

  /** Emergency close for exit and signal handlers: everything synchronous, no grace time. */
  #closeNow(): void {
    this.#closing ??= Promise.resolve();
    for (const d of this.#daemons) d.killNow();
    this.#finish();
  }

  /** Removes what is left and throws if something would not go. */
  #finish(): void {
    this.#unregister();
    const left = purgeRun(this.runId, { keepDir: this.#keep });
    if (this.#keep) {
      mkdirSync(KEPT_DIR, { recursive: true, mode: 0o700 });
      renameSync(this.dir, join(KEPT_DIR, this.runId));
      process.stderr.write(`lab: files of ${this.runId} kept in ${join(KEPT_DIR, this.runId)}\n`);
    }
    if (left.namespaces.length > 0 || left.pids.length > 0) {
      throw new Error(`lab ${this.runId}: could not remove namespaces [${left.namespaces.join(', ')}] or processes [${left.pids.join(', ')}]`);
    }
  }

  readonly #startDaemon = (options: SpawnDaemonOptions): Daemon => {
    this.#assertOpen();
    const daemon = new Daemon({ ...options, env: { ...options.env, [LAB_ENV_MARKER]: this.runId } });
    this.#daemons.push(daemon);
    return daemon;
  };

  async #addNamespace(name: string, isSwitch: boolean): Promise<Host> {
    this.#assertOpen();
    if (this.#hosts.has(name)) throw new Error(`lab: host "${name}" exists already`);
    const host = new Host(name, namespaceName(this.runId, name), isSwitch);
    this.#hosts.set(name, host);
    await run([binary('ip'), 'netns', 'add', host.ns]);
    await host.ip(['link', 'set', 'lo', 'up']);
    return host;
  }

  #uniqueName(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.#names.has(name); n++) name = `${wanted}-${n}`;
    this.#names.add(name);
    return name;
  }

  #assertOpen(): void {
    if (this.#closing !== null) throw new Error(`lab ${this.runId} is closed`);
  }
}

function pickIfName(host: Host, explicit: string | undefined, wanted: string): string {
  if (explicit === undefined) return freeIfName(wanted, host.interfaces);
  if (explicit.length > 15 || host.interfaces.has(explicit)) {
    throw new Error(`lab: interface name "${explicit}" in ${host.name} is too long or taken`);
  }
  return explicit;
}

async function configureEnd(host: Host, ifname: string, addresses: string | readonly string[] | undefined): Promise<void> {
  const list = addresses === undefined ? [] : typeof addresses === 'string' ? [addresses] : addresses;
  if (host.isSwitch) {
    if (list.length > 0) throw new Error(`lab: ${host.name} is a switch; its ports carry no addresses`);
    await host.ip(['link', 'set', ifname, 'master', SWITCH_BRIDGE], ['link', 'set', ifname, 'up']);
    return;
  }
  await host.ip(...list.map((cidr) => ['addr', 'add', cidr, 'dev', ifname]), ['link', 'set', ifname, 'up']);
}
