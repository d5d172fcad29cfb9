// `raincoat render TOPOLOGY --out DIR`: keys and configuration for every node, written as files (the core's renderOverlay does the work).
import path from 'node:path';
import { z } from 'zod';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import { InternetAddressSchema } from '../../../src-shared/topology/schemas.ts';
import { formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import { loadJsonFile } from '../../../src-node/loadJsonFile.ts';
import { RENEW_WITHIN_DAYS, type Renewal } from '../../core/pki/certificateRenewal.ts';
import type { KeyType } from '../../core/pki/keyTypes.ts';
import { DEFAULT_OPENVPN_USER, type ClientServerBackend } from '../../core/render/renderOptions.ts';
import type { OutputPlan } from '../../core/renderOutput/outputPlan.ts';
import { MANIFEST_FILE } from '../../core/renderOutput/renderManifest.ts';
import { KEYS_FILE, renderOverlay } from '../../core/renderOverlay/renderOverlay.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { count } from '../../../src-shared/text/count.ts';
import { loadOrReport } from './loadOrReport.ts';
import { bundledWorker } from '../../core/pki/bundledWorker.ts';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';

/** What render walls nodes for when not told: the agent's port in the examples and the agent's documentation. */
const DEFAULT_RENDER_AGENT_PORT = 7443;

export const renderCommand: Command = {
  name: 'render',
  summary: 'generate keys and every node\'s configuration into a folder',
  usage: `Usage: raincoat render TOPOLOGY --out DIR [options]

Generates the overlay's keys (only those that do not exist yet, and server and client certificates that expire within
${RENEW_WITHIN_DAYS} days, renewed under the same CA and named on standard error) and renders every node's configuration:
  DIR/control-ca.crt
  DIR/root-<id>/   vyos.set config.boot swanctl.conf openvpn/*.conf pki/
  DIR/leaf-<root>-<n>/   vyos.set config.boot openvpn/*.conf pki/
  DIR/clients/*.ovpn   client profiles with certificate and key inline
  DIR/${KEYS_FILE}   every key (mode 0600): keep it; a re-run with it reuses the keys
  DIR/${MANIFEST_FILE}   what render wrote: a re-run removes only those files, never one you added
Options:
  --out DIR            the output folder: new, empty (it may hold ${KEYS_FILE} alone), or written by render before
  --clients N          client profiles per root (default: one per leaf)
  --key-type TYPE      ecdsa-p256 (default) or rsa-2048, for a new overlay
  --vyos VERSION       1.4 (default) or 1.5
  --check              check every node's VyOS configuration as VyOS (--vyos) would; write nothing if it refuses any
  --dry-run            list what would be written and removed, and change nothing
  --addresses FILE     JSON {"leaf-1-1": "198.51.100.7", ...}: nodes' internet addresses known at deploy time
                       (a leaf without one is named by its node name, for DNS or /etc/hosts)
  --base-dir DIR       where the Linux files live on the nodes (default /etc/raincoat)
  --openvpn-user U[:G] Linux: OpenVPN drops to user U and group G (default U) once started (default
                       ${DEFAULT_OPENVPN_USER.user}:${DEFAULT_OPENVPN_USER.group}, as deploys, whose agents create that user); each server runs in a
                       chroot jail, DIR/<node>/jail/<role>/, which must belong to that user on the node
  --agent-port N       the TCP port the agents listen on (default ${DEFAULT_RENDER_AGENT_PORT}; a deploy takes each node's from the
                       overlay access); every node gets a firewall, in its vyos.set and as DIR/<node>/firewall.nft
                       (nftables): from the internet only IKE, ESP, OpenVPN and the agent; forwarding only between
                       the overlay's prefixes along the drawn paths
  --client-servers B   what the leaves run, for client profiles: linux (default; each profile its own tls-crypt-v2
                       key, OpenVPN 2.5+) or vyos (no tls-crypt-v2: the cloud's clients' tls-crypt key)
An invalid topology gets validate's messages and exit 1, and nothing is written; so does a configuration --check refuses.`,
  async run(args, io) {
    const parsed = parseCommandArgs(
      this,
      args,
      {
        out: { type: 'string' },
        clients: { type: 'string' },
        'key-type': { type: 'string' },
        vyos: { type: 'string' },
        check: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        addresses: { type: 'string' },
        'base-dir': { type: 'string' },
        'client-servers': { type: 'string' },
        'openvpn-user': { type: 'string' },
        'agent-port': { type: 'string' },
      },
      1,
      io,
    );
    if (typeof parsed === 'number') return parsed;
    const options = checkOptions(parsed.values, io);
    if (typeof options === 'number') return options;
    const topology = await loadOrReport(parsed.positionals[0]!, io);
    if (typeof topology === 'number') return topology;
    const plan = planAddresses(topology);
    const addresses = options.addressesFile ? await loadAddresses(options.addressesFile, plan, io) : {};
    if (typeof addresses === 'number') return addresses;

    const result = await renderOverlay({
      plan,
      outDir: options.out,
      keyType: options.keyType,
      clientsPerRoot: options.clients,
      render: { vyosVersion: options.vyosVersion, addresses, baseDir: options.baseDir, clientServers: options.clientServers, openvpnUser: options.openvpnUser, agentPort: options.agentPort },
      check: options.check,
      dryRun: options.dryRun,
      bulk: bundledWorker(),
      onProgress: (progress) =>
        io.err(
          progress.step === 'files'
            ? `files: writing ${progress.count}`
            : progress.reusing
              ? `keys: reusing ${progress.reusing}, creating only what is new`
              : 'keys: creating a new overlay PKI',
        ),
    });
    if (result.kind === 'refused') {
      io.err(`raincoat render: ${result.reason}`);
      return EXIT.usage;
    }
    if (result.kind === 'check-failed') {
      const nodes = new Set(result.refusals.map((r) => r.node));
      io.err(
        [
          ...result.refusals.map((r) => `raincoat render --check: ${r.node}: ${r.where}: ${r.message}`),
          `VyOS ${options.vyosVersion} would refuse the configuration of ${count(nodes.size, 'node')}; nothing was written`,
        ].join('\n'),
      );
      return EXIT.invalid;
    }
    if (result.renewed.length > 0) io.err(renewalLine(result.renewed, result.dryRun));
    if (result.leavesWithoutAddress.length > 0) {
      io.err(
        `warning: client profiles name ${count(result.leavesWithoutAddress.length, 'leaf', 'leaves')} by node name, their internet address unknown: ` +
          `${someOf(result.leavesWithoutAddress)} (give them with --addresses, or map the names in DNS or /etc/hosts)`,
      );
    }
    const what = `${count(plan.summary.roots, 'root')}, ${count(plan.summary.leaves, 'leaf', 'leaves')} and ${count(result.clientProfiles, 'client profile')}`;
    const keys = count(result.newKeys, 'new key');
    const { output } = result;
    if (result.dryRun) {
      io.out(
        [
          `dry run, nothing changed: would render ${what} into ${options.out} (${keys})`,
          `would write ${count(output.write.length, 'file')} (${output.created} new): ${byFolder(output.write).join(', ')}`,
          `would remove ${removedNames(output).join(', ') || 'nothing'}`,
          ...output.kept.map((file) => `would keep ${file}: render did not write it`),
        ].join('\n'),
      );
      return EXIT.ok;
    }
    for (const file of output.kept) io.err(`raincoat render: kept ${file}: render did not write it`);
    const removed = removedNames(output);
    io.out(`rendered ${what} into ${options.out} (${keys}, ${removed.length ? `removed ${removed.join(', ')}` : 'nothing removed'})`);
    return EXIT.ok;
  },
};

/** `certificates: renewed N that expired within 30 days (the first on DATE): root-1 uplink server, …`. */
function renewalLine(renewed: readonly Renewal[], dryRun: boolean): string {
  // A reduce, not Math.min(...): a render may renew more certificates than a call takes arguments.
  const first = new Date(renewed.reduce((soonest, r) => Math.min(soonest, r.replacedNotAfter.getTime()), Infinity)).toISOString().slice(0, 10);
  const named = someOf(renewed.map((r) => `${r.holder} ${r.role}`));
  return `certificates: ${dryRun ? 'would renew' : 'renewed'} ${count(renewed.length, 'certificate')} expiring within ${RENEW_WITHIN_DAYS} days (the first on ${first}): ${named}`;
}

/** Top-level files by name, folders as `name/ (N files)`, in order of first appearance. */
function byFolder(files: readonly string[]): string[] {
  const groups = new Map<string, number>();
  for (const file of files) {
    const slash = file.indexOf('/');
    const key = slash < 0 ? file : `${file.slice(0, slash)}/`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => (key.endsWith('/') ? `${key} (${count(n, 'file')})` : key));
}

/**
 * Nodes that left as their folder's name (`root-3`, or `root-3/ (render's files)` where files render did not write keep
 * the folder), and any other removed file by its path.
 */
function removedNames(output: OutputPlan): string[] {
  const emptied = new Set(output.emptied);
  const keeping = new Set(output.kept.map((file) => file.split('/')[0]!));
  const folders = output.emptied.map((dir) => (keeping.has(dir) ? `${dir}/ (render's files)` : dir));
  return [...folders, ...output.remove.filter((file) => !emptied.has(file.split('/')[0]!))];
}

interface RenderCliOptions {
  out: string;
  clients?: number;
  keyType?: KeyType;
  vyosVersion: '1.4' | '1.5';
  check: boolean;
  dryRun: boolean;
  addressesFile?: string;
  baseDir?: string;
  clientServers: ClientServerBackend;
  openvpnUser: { user: string; group: string };
  agentPort: number;
}

function checkOptions(values: Record<string, string | boolean | undefined>, io: CliIo): RenderCliOptions | number {
  const problems: string[] = [];
  const out = values.out as string | undefined;
  if (!out) problems.push('--out DIR is required');
  const clientsText = values.clients as string | undefined;
  const clients = clientsText === undefined ? undefined : Number(clientsText);
  if (clients !== undefined && !(Number.isInteger(clients) && clients >= 0 && clients <= 50_400)) {
    problems.push(`--clients: expected a whole number from 0 to 50400, found ${JSON.stringify(clientsText)}`);
  }
  const keyType = values['key-type'] as string | undefined;
  if (keyType !== undefined && keyType !== 'ecdsa-p256' && keyType !== 'rsa-2048') problems.push(`--key-type: expected ecdsa-p256 or rsa-2048, found ${JSON.stringify(keyType)}`);
  const vyos = (values.vyos as string | undefined) ?? '1.4';
  if (vyos !== '1.4' && vyos !== '1.5') problems.push(`--vyos: expected 1.4 or 1.5, found ${JSON.stringify(vyos)}`);
  const baseDir = values['base-dir'] as string | undefined;
  if (baseDir !== undefined && !path.isAbsolute(baseDir)) problems.push(`--base-dir: expected an absolute path, found ${JSON.stringify(baseDir)}`);
  const clientServers = (values['client-servers'] as string | undefined) ?? 'linux';
  if (clientServers !== 'linux' && clientServers !== 'vyos') problems.push(`--client-servers: expected linux or vyos, found ${JSON.stringify(clientServers)}`);
  const openvpnUserText = values['openvpn-user'] as string | undefined;
  const openvpnUser = openvpnUserText === undefined ? undefined : /^(?<user>[a-z_][a-z0-9_-]*)(?::(?<group>[a-z_][a-z0-9_-]*))?$/.exec(openvpnUserText)?.groups;
  const agentPortText = values['agent-port'] as string | undefined;
  const agentPort = agentPortText === undefined ? DEFAULT_RENDER_AGENT_PORT : Number(agentPortText);
  if (!(Number.isInteger(agentPort) && agentPort >= 1 && agentPort <= 65_535)) {
    problems.push(`--agent-port: expected a TCP port from 1 to 65535, found ${JSON.stringify(agentPortText)}`);
  }
  if (openvpnUserText !== undefined && !openvpnUser) problems.push(`--openvpn-user: expected USER or USER:GROUP (system names), found ${JSON.stringify(openvpnUserText)}`);
  if (problems.length) {
    io.err(problems.map((p) => `raincoat render: ${p}`).join('\n'));
    return EXIT.usage;
  }
  return {
    out: out!,
    clients,
    keyType: keyType as KeyType | undefined,
    vyosVersion: vyos as '1.4' | '1.5',
    check: values.check === true,
    dryRun: values['dry-run'] === true,
    addressesFile: values.addresses as string | undefined,
    baseDir,
    clientServers: clientServers as ClientServerBackend,
    openvpnUser: openvpnUser ? { user: openvpnUser.user!, group: openvpnUser.group ?? openvpnUser.user! } : { ...DEFAULT_OPENVPN_USER },
    agentPort,
  };
}

/** Reads `--addresses`: node names of this plan mapped to IPv4 addresses; every problem reported, each naming its key. */
async function loadAddresses(file: string, plan: AddressPlan, io: CliIo): Promise<Record<string, string> | number> {
  const json = await loadJsonFile(file);
  if (!json.ok) {
    io.err(`--addresses ${json.message}`);
    return EXIT.usage;
  }
  const at = `--addresses ${file}`;
  if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    io.err(`${at}: expected an object mapping node names to IPv4 addresses, such as {"leaf-1-1": "198.51.100.7"}`);
    return EXIT.invalid;
  }
  const nodes = new Set(plan.roots.flatMap((r) => [r.nodeName, ...r.leaves.map((l) => l.nodeName)]));
  const parsed = z.record(z.string(), InternetAddressSchema).safeParse(json.value, { reportInput: true });
  const problems = [
    ...(parsed.success ? [] : zodProblems(parsed.error, 'addresses').map(formatProblem)),
    ...Object.keys(json.value).filter((name) => !nodes.has(name)).map((name) => `${name}: no such node in this topology`),
  ];
  if (problems.length) {
    io.err(problems.map((p) => `${at}: ${p}`).join('\n'));
    return EXIT.invalid;
  }
  return parsed.data!;
}

/** How many names a line lists before it counts the rest: 200 leaves without addresses, or thousands of renewed client certificates, make one line. */
const NAMES_LISTED = 10;

function someOf(names: readonly string[]): string {
  if (names.length <= NAMES_LISTED) return names.join(', ');
  return `${names.slice(0, NAMES_LISTED).join(', ')} and ${names.length - NAMES_LISTED} more`;
}
