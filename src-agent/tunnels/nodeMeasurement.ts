// What a node measures of itself for its heartbeat, through the programs and files of its backend: its tunnels' states
// (a root's charon, by swanctl) and its connected OpenVPN clients (a leaf's client server, by its status file).
import { readFile, stat } from 'node:fs/promises';
import { parseListConns, parseListSas } from '../../src-node/swanctlPretty.ts';
import type { TunnelState } from '../../src-shared/protocol/messages.ts';
import type { BackendConfig } from '../backends/createBackend.ts';
import { withCommandPrefix, type CommandRunner } from '../backends/commandRunner.ts';
import { OPENVPN_STATUS_SECONDS, openvpnStatusFile } from '../backends/openvpnProcesses.ts';
import { connectedClients } from './openvpnClients.ts';
import { createTunnelProbe, type Ping } from './tunnelProbe.ts';
import { tunnelStates } from './tunnelStates.ts';

/** Fields a node can tell; one it cannot tell is left out, never guessed. */
export interface NodeMeasurement {
  clientsConnected?: number;
  tunnels?: TunnelState[];
}

type MeasureNode = () => Promise<NodeMeasurement>;

/** How swanctl reaches this node's charon. */
export interface SwanctlAccess {
  runner: CommandRunner;
  binary: string;
  env: Record<string, string>;
  /** `--uri …`, or none for charon's default socket. */
  uriArgs: string[];
}

/** A measurement may not hold up the next: each command gets this long. */
export const MEASURE_COMMAND_TIMEOUT_MS = 5_000;
/** The OpenVPN instance that serves a leaf's client VMs (renderNodeFiles: openvpn/client-server.conf). */
const CLIENT_SERVER_INSTANCE = 'client-server';
/** A status file older than this belongs to a server that no longer runs. */
const STATUS_STALE_MS = 3 * OPENVPN_STATUS_SECONDS * 1000;

/** Runs one swanctl listing; undefined when charon does not answer (then the tunnels are unknown, not down). */
async function swanctlListing(access: SwanctlAccess, what: '--list-conns' | '--list-sas'): Promise<string | undefined> {
  const result = await access.runner(access.binary, [what, '--pretty', ...access.uriArgs], { env: access.env, timeoutMs: MEASURE_COMMAND_TIMEOUT_MS });
  return result.code === 0 ? result.stdout : undefined;
}

/** A root's tunnels by swanctl; undefined when either listing fails. */
async function measureTunnels(access: SwanctlAccess, selfRootId: number): Promise<TunnelState[] | undefined> {
  const [conns, sas] = await Promise.all([swanctlListing(access, '--list-conns'), swanctlListing(access, '--list-sas')]);
  if (conns === undefined || sas === undefined) return undefined;
  return tunnelStates(parseListConns(conns), parseListSas(sas), selfRootId);
}

/** The status file's text when it was rewritten lately, as a running server does. */
export type ReadStatusFile = (path: string) => Promise<{ text: string; ageMs: number } | undefined>;

const readStatusFromDisk: ReadStatusFile = async (path) => {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, ageMs: Date.now() - info.mtimeMs };
  } catch {
    return undefined;
  }
};

/** Clients of the node's client server, from its status file; undefined without a fresh, complete one. */
async function measureClients(runDir: string, readStatus: ReadStatusFile): Promise<number | undefined> {
  const status = await readStatus(openvpnStatusFile(runDir, CLIENT_SERVER_INSTANCE));
  if (status === undefined || status.ageMs > STATUS_STALE_MS) return undefined;
  return connectedClients(status.text);
}

/** How the agent reaches the charon of a linux or VyOS backend (VyOS runs charon with its vici socket at the default place). */
export function swanctlAccess(config: Exclude<BackendConfig, { kind: 'dry-run' }>, runner: CommandRunner): SwanctlAccess {
  if (config.kind === 'vyos') return { runner, binary: 'swanctl', env: {}, uriArgs: [] };
  return {
    runner: config.commandPrefix === undefined ? runner : withCommandPrefix(config.commandPrefix, runner),
    binary: config.swanctl?.binary ?? 'swanctl',
    env: config.swanctl?.strongswanConf === undefined ? {} : { STRONGSWAN_CONF: config.swanctl.strongswanConf },
    uriArgs: config.swanctl?.uri === undefined ? [] : ['--uri', config.swanctl.uri],
  };
}

/** One ICMP echo through the node's own network (its command prefix), answered within a second. */
function pingThrough(access: SwanctlAccess): Ping {
  return async (source, target) => (await access.runner('ping', ['-n', '-q', '-c', '1', '-W', '1', '-I', source, target], { timeoutMs: MEASURE_COMMAND_TIMEOUT_MS })).code === 0;
}

/** Each root's own overlay address (its uplink server's), by root id, from the deployed overlay; undefined before one. */
export type ProbeAddresses = () => ReadonlyMap<number, string> | undefined;

/**
 * What the node of this backend can measure: a root its tunnels (probed through, once the overlay's addresses are
 * known), a linux leaf its clients. A dry-run node (the sandbox) runs no daemon and measures nothing. VyOS's OpenVPN
 * status files are VyOS's own and not read here.
 */
export function nodeMeasure(
  config: BackendConfig,
  selfRootId: number | undefined,
  runner: CommandRunner,
  readStatus: ReadStatusFile = readStatusFromDisk,
  probeAddresses: ProbeAddresses = () => undefined,
): MeasureNode | undefined {
  if (config.kind === 'dry-run') return undefined;
  const swanctl = swanctlAccess(config, runner);
  const probe = createTunnelProbe(pingThrough(swanctl));
  const runDir = config.kind === 'linux' ? config.runDir : undefined;
  const measureProbedTunnels = async (rootId: number) => {
    const states = await measureTunnels(swanctl, rootId);
    const addresses = probeAddresses();
    const own = addresses?.get(rootId);
    return states === undefined || own === undefined ? states : probe.check(states, own, (peer) => addresses?.get(peer));
  };
  return async () => {
    const [tunnels, clientsConnected] = await Promise.all([
      selfRootId === undefined ? undefined : measureProbedTunnels(selfRootId),
      runDir === undefined || selfRootId !== undefined ? undefined : measureClients(runDir, readStatus),
    ]);
    return { ...(tunnels === undefined ? {} : { tunnels }), ...(clientsConnected === undefined ? {} : { clientsConnected }) };
  };
}
