// A lab node: one network namespace, with its addresses, routes and forwarding, and commands run inside it.
import { canPingFrom, pingFrom, type PingOptions, type PingResult } from './ping.ts';
import { binary, inNamespace, run, type RunOptions, type RunResult } from './run.ts';

export interface RouteOptions {
  via?: string;
  dev?: string;
  src?: string;
  table?: number | string;
  metric?: number;
}

/** The bridge inside a switch namespace; veths linked to a switch become its ports. */
export const SWITCH_BRIDGE = 'br0';

export class Host {
  /** Name given by the test ('a', 'root-1', …). */
  readonly name: string;
  /** The namespace's real name: the run id, a dash, and `name`. */
  readonly ns: string;
  /** A switch is a namespace holding one bridge: an L2 segment several hosts can be linked to. */
  readonly isSwitch: boolean;
  /** Interface names in use in this namespace, so links get unique ones. */
  readonly interfaces = new Set<string>(['lo']);

  constructor(name: string, ns: string, isSwitch: boolean) {
    this.name = name;
    this.ns = ns;
    this.isSwitch = isSwitch;
  }

  /** Runs a command inside the namespace; throws with its output if it fails (unless `allowFailure`). */
  exec(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return run(inNamespace(this.ns, argv), options);
  }

  /** `ip -n NS …`; with several commands, one `ip -batch` call. */
  async ip(...commands: (readonly string[])[]): Promise<void> {
    if (commands.length === 1 && commands[0] !== undefined) {
      await run([binary('ip'), '-n', this.ns, ...commands[0]]);
      return;
    }
    await run([binary('ip'), '-n', this.ns, '-batch', '-'], { input: commands.map((c) => c.join(' ')).join('\n') + '\n' });
  }

  /** Adds an address (CIDR) to a device, `lo` by default: the way to give a router a "LAN" address without a second namespace. */
  async addAddress(cidr: string, dev = 'lo'): Promise<void> {
    await this.ip(['addr', 'add', cidr, 'dev', dev]);
  }

  /** `ip route add DST [via] [dev] [src] [table] [metric]`; DST may be 'default'. */
  async addRoute(dst: string, options: RouteOptions): Promise<void> {
    const args = ['route', 'add', dst];
    if (options.via !== undefined) args.push('via', options.via);
    if (options.dev !== undefined) args.push('dev', options.dev);
    if (options.src !== undefined) args.push('src', options.src);
    if (options.table !== undefined) args.push('table', String(options.table));
    if (options.metric !== undefined) args.push('metric', String(options.metric));
    await this.ip(args);
  }

  /** Turns IPv4 forwarding on (or off) in this namespace, for routers. */
  async setForwarding(on = true): Promise<void> {
    await this.exec(['sh', '-c', `echo ${on ? 1 : 0} > /proc/sys/net/ipv4/ip_forward`]);
  }

  /** Pings until a reply (default deadline 5 s); throws if none came. */
  ping(dst: string, options?: PingOptions): Promise<PingResult> {
    return pingFrom(this.ns, dst, options);
  }

  /** Whether `dst` answers before the deadline (default 1 s). */
  canPing(dst: string, options?: PingOptions): Promise<boolean> {
    return canPingFrom(this.ns, dst, options);
  }
}
