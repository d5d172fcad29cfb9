// `raincoat render TOPOLOGY --out DIR`: keys and configuration for every node, written as files.
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import { InternetAddressSchema } from '../../../src-shared/topology/schemas.ts';
import { loadJsonFile } from '../../../src-node/loadJsonFile.ts';
import { ensureOverlayKeys } from '../../core/pki/ensureOverlayKeys.ts';
import { loadOverlayKeys, saveOverlayKeys } from '../../core/pki/overlayKeysFile.ts';
import type { KeyType, OverlayKeys } from '../../core/pki/keyTypes.ts';
import { renderOverlayFiles } from '../../core/render/renderNodeFiles.ts';
import type { RenderOptions } from '../../core/render/renderOptions.ts';
import { writeRenderedTree } from '../../core/renderOutput/writeRenderedTree.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { loadOrReport } from './loadOrReport.ts';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';

/** The overlay's keys, kept in the output folder so that a re-run reuses them (mode 0600). */
export const KEYS_FILE = 'raincoat-keys.json';

export const renderCommand: Command = {
  name: 'render',
  summary: 'generate keys and every node\'s configuration into a folder',
  usage: `Usage: raincoat render TOPOLOGY --out DIR [options]

Generates the overlay's keys (only those that do not exist yet) and renders every node's configuration:
  DIR/control-ca.crt
  DIR/root-<id>/   vyos.set config.boot swanctl.conf openvpn/*.conf pki/
  DIR/leaf-<root>-<n>/   vyos.set config.boot openvpn/*.conf pki/
  DIR/clients/*.ovpn   client profiles with certificate and key inline
  DIR/${KEYS_FILE}   every key (mode 0600): keep it; a re-run with it reuses the keys
Options:
  --out DIR            the output folder (created 0700; node folders no longer in the topology are removed)
  --clients N          client profiles per root (default: one per leaf)
  --key-type TYPE      ecdsa-p256 (default) or rsa-2048, for a new overlay
  --vyos VERSION       1.4 (default) or 1.5
  --addresses FILE     JSON {"leaf-1-1": "198.51.100.7", ...}: nodes' internet addresses known at deploy time
                       (a leaf without one is named by its node name, for DNS or /etc/hosts)
  --base-dir DIR       where the Linux files live on the nodes (default /etc/raincoat)
An invalid topology gets validate's messages and exit 1, and nothing is written.`,
  async run(args, io) {
    const parsed = parseCommandArgs(
      this,
      args,
      {
        out: { type: 'string' },
        clients: { type: 'string' },
        'key-type': { type: 'string' },
        vyos: { type: 'string' },
        addresses: { type: 'string' },
        'base-dir': { type: 'string' },
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
    if (existsSync(options.out) && !(await stat(options.out)).isDirectory()) {
      io.err(`raincoat render: --out ${options.out} exists and is not a folder`);
      return EXIT.usage;
    }

    await mkdir(options.out, { recursive: true, mode: 0o700 });
    const keysFile = path.join(options.out, KEYS_FILE);
    let previous: OverlayKeys | undefined;
    try {
      previous = await loadOverlayKeys(keysFile);
    } catch (error) {
      io.err(`raincoat render: ${(error as Error).message}; move it aside to start a new overlay, nothing was written`);
      return EXIT.usage;
    }
    if (previous && options.keyType && previous.keyType !== options.keyType) {
      io.err(`raincoat render: the overlay in ${options.out} uses ${previous.keyType} keys; --key-type ${options.keyType} applies to a new overlay only`);
      return EXIT.usage;
    }
    io.err(previous ? `keys: reusing ${keysFile}, creating only what is new` : 'keys: creating a new overlay PKI');
    const keys = await ensureOverlayKeys(plan, previous, {
      keyType: options.keyType ?? previous?.keyType,
      clientsPerRoot: options.clients,
      bulk: bundledWorker(),
    });
    await saveOverlayKeys(keysFile, keys);

    const renderOptions: RenderOptions = { vyosVersion: options.vyosVersion, addresses, baseDir: options.baseDir };
    const files = renderOverlayFiles(plan, keys, renderOptions);
    io.err(`files: writing ${files.length}`);
    const written = await writeRenderedTree(options.out, files);
    const leaves = plan.summary.leaves;
    const profiles = Object.keys(keys.clients).length;
    io.out(
      `rendered ${plan.summary.roots} roots, ${leaves} leaves and ${profiles} client profiles into ${options.out}` +
        ` (${countNewKeys(previous, keys)} new keys, ${written.removed.length ? `removed ${written.removed.join(', ')}` : 'nothing removed'})`,
    );
    return EXIT.ok;
  },
};

interface RenderCliOptions {
  out: string;
  clients?: number;
  keyType?: KeyType;
  vyosVersion: '1.4' | '1.5';
  addressesFile?: string;
  baseDir?: string;
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
  if (problems.length) {
    io.err(problems.map((p) => `raincoat render: ${p}`).join('\n'));
    return EXIT.usage;
  }
  return {
    out: out!,
    clients,
    keyType: keyType as KeyType | undefined,
    vyosVersion: vyos as '1.4' | '1.5',
    addressesFile: values.addresses as string | undefined,
    baseDir,
  };
}

/** Reads `--addresses`: node names of this plan mapped to IPv4 addresses; every problem reported. */
async function loadAddresses(file: string, plan: AddressPlan, io: CliIo): Promise<Record<string, string> | number> {
  const json = await loadJsonFile(file);
  if (!json.ok) {
    io.err(json.message);
    return EXIT.usage;
  }
  const nodes = new Set(plan.roots.flatMap((r) => [r.nodeName, ...r.leaves.map((l) => l.nodeName)]));
  const parsed = z.record(z.string(), InternetAddressSchema).safeParse(json.value);
  if (!parsed.success) {
    io.err(`${file}: expected an object mapping node names to IPv4 addresses, such as {"leaf-1-1": "198.51.100.7"}`);
    return EXIT.invalid;
  }
  const unknown = Object.keys(parsed.data).filter((name) => !nodes.has(name));
  if (unknown.length) {
    io.err(unknown.map((name) => `${file}: ${name}: no such node in this topology`).join('\n'));
    return EXIT.invalid;
  }
  return parsed.data;
}

/** In the bundled CLI the bulk issuer's worker sits beside the bundle; from source, the issuer finds its own. */
function bundledWorker() {
  const url = new URL('./issueWorker.mjs', import.meta.url);
  return existsSync(url) ? { workerUrl: url } : undefined;
}

function countNewKeys(previous: OverlayKeys | undefined, keys: OverlayKeys): number {
  const serials = (k: OverlayKeys | undefined) =>
    new Set(
      k
        ? [
            k.controlCa.serial,
            ...Object.values(k.roots).flatMap((r) => [r.openvpnCa.serial, r.uplinkServer.serial]),
            ...Object.values(k.leaves).flatMap((l) => [l.clientServer.serial, l.uplinkClient.serial]),
            ...Object.values(k.clients).map((c) => c.serial),
          ]
        : [],
    );
  const before = serials(previous);
  return [...serials(keys)].filter((s) => !before.has(s)).length;
}
