// A deploy up to its plan, sending nothing: validate the topology, check it against the overlay's nodes, make in memory
// the keys that are new, render every node (and its client-enrollment material), check what VyOS would refuse, and plan
// against what was deployed.
import { X509Certificate } from 'node:crypto';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { textMemo } from '../../../src-shared/cache/textMemo.ts';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { DeployBackend } from '../../../src-shared/protocol/deployPackage.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import { formatProblem } from '../../../src-shared/validation/zodProblems.ts';
import type { BulkIssueOptions } from '../pki/bulkIssuer.ts';
import { enrollmentFiles } from '../deploy/enrollmentFiles.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import type { KeptOverlayKeys } from '../pki/overlayKeysFile.ts';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { VYOS_SET_FILE } from '../render/renderNodeFiles.ts';
import { DEFAULT_BASE_DIR, DEFAULT_OPENVPN_USER } from '../render/renderOptions.ts';
import type { VyosVersion } from '../render/renderOptions.ts';
import { checkVyosConfig } from '../vyosCheck/checkVyosConfig.ts';
import type { DeployedNode, DeployedRecord } from './deployedRecord.ts';
import { agentPortsByNode } from './agentPorts.ts';
import { planDeploy } from './deployPlan.ts';
import type { DeployPlan } from './deployPlan.ts';
import { keysToMake } from './keysToMake.ts';
import { identityRenewals } from './identityRenewals.ts';
import { secretWords } from './overlaySecrets.ts';
import { filesFor, recordFiles, renderNodes } from './renderNodes.ts';

export interface PrepareOptions {
  access: OverlayAccess;
  /** The topology as read (validated here). */
  topology: unknown;
  /** The overlay's kept keys (created at the first deploy) and what was deployed last, if anything. */
  keysFile: KeptOverlayKeys;
  previous: DeployedRecord | undefined;
  /** When the nodes' identity certificates are judged about to expire; now by default. */
  now?: Date;
  vyosVersion?: VyosVersion;
  /** Where the linux backend keeps a node's files (default /etc/raincoat). */
  baseDir?: string;
  bulk?: BulkIssueOptions;
}

export interface PreparedDeploy {
  topology: Topology;
  plan: DeployPlan;
  /** The keys, new ones included: saved once the deploy goes ahead, before anything is sent. */
  keys: OverlayKeys;
  /** Every node of the topology: its backend, rendered files, and what the record will keep of them. */
  nodes: Map<string, { backend: DeployBackend; files: RenderedFile[]; record: DeployedNode }>;
  /** Each node's identity public key (SPKI DER), which its secrets are sealed to. */
  identityKeys: Record<string, Uint8Array>;
  /** The identity certificates re-issued, by node: each goes with its node's part. */
  identityRenewals: Map<string, string>;
  secrets: ReadonlySet<string>;
  baseDir: string;
}

/** `problems` say why the deploy cannot go: validate's messages, nodes the overlay lacks, what VyOS would refuse. */
export type Prepared = { ok: true; prepared: PreparedDeploy } | { ok: false; problems: string[] };

export async function prepareDeploy(options: PrepareOptions): Promise<Prepared> {
  const { access } = options;
  const checked = validateTopology(options.topology);
  if (!checked.ok) return { ok: false, problems: checked.problems.map(formatProblem) };
  const topology = checked.topology;
  const plan = planAddresses(topology);

  const names = plan.roots.flatMap((r) => [r.nodeName, ...r.leaves.map((l) => l.nodeName)]);
  const missing = names.filter((n) => !Object.hasOwn(access.nodes, n));
  const problems = missing.map((n) => `${n}: overlay "${access.name}" has no agent for it; install its agent first`);
  if (!names.includes(access.entry)) problems.push(`${access.entry}, the overlay's entry root, is not in this topology: a deploy enters the overlay there`);
  const identities = identityKeys(access, missing.length > 0 ? [] : names);
  problems.push(...identities.problems);
  if (problems.length > 0) return { ok: false, problems };

  let previousKeys: OverlayKeys | undefined;
  try {
    previousKeys = await options.keysFile.open();
    // Asked for now (a new passphrase, before the first deploy), not once approved: keys that could not be kept must not be sent.
    await options.keysFile.readyToSave();
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
  // Client profiles are not deployed: client VMs enroll with the agents, so a deploy makes no client certificates.
  const keys = await ensureOverlayKeys(plan, previousKeys, { clientsPerRoot: 0, ...(options.bulk === undefined ? {} : { bulk: options.bulk }) });
  const baseDir = options.baseDir ?? DEFAULT_BASE_DIR;
  const vyosVersion = options.vyosVersion ?? '1.4';
  // Every node hardened: OpenVPN drops root, and a firewall keeps open what the node serves, its own agent's port among it.
  // Only the files each node's backend takes (a dry-run node takes a linux node's: filesFor).
  const backendOf = (node: string) => (access.nodes[node]!.backend === 'vyos' ? 'vyos' : 'linux');
  const rendered = renderNodes(plan, keys, { vyosVersion, baseDir, openvpnUser: DEFAULT_OPENVPN_USER, agentPort: agentPortsByNode(access), backendOf });

  const refusals: string[] = [];
  for (const [node, files] of rendered) {
    if (access.nodes[node]!.backend !== 'vyos') continue;
    const set = files.find((f) => f.path === VYOS_SET_FILE)?.content ?? '';
    for (const refusal of checkVyosConfig(set, vyosVersion)) refusals.push(`${node}: VyOS ${vyosVersion} would refuse ${refusal.where}: ${refusal.message}`);
  }
  if (refusals.length > 0) return { ok: false, problems: refusals };

  const secrets = secretWords(keys);
  const enrollment = enrollmentFiles(plan, keys, (node) => access.nodes[node]!.backend, { vyosVersion, baseDir });
  const renewals = identityRenewals(access, options.previous, keys.controlCa, names, options.now ?? new Date());
  const nodes = new Map<string, { backend: DeployBackend; files: RenderedFile[]; record: DeployedNode }>();
  for (const [node, configuration] of rendered) {
    const backend = access.nodes[node]!.backend;
    const files = [...configuration, ...(enrollment.get(node) ?? [])];
    const renewed = renewals.renewed.get(node) ?? options.previous?.nodes[node]?.identityCertificate;
    nodes.set(node, { backend, files, record: { backend, files: recordFiles(filesFor(backend, files), secrets), ...(renewed === undefined ? {} : { identityCertificate: renewed }) } });
  }
  const deployPlan = planDeploy({
    previous: options.previous,
    topology,
    next: Object.fromEntries([...nodes].map(([node, n]) => [node, n.record])),
    keys: [...keysToMake(previousKeys, keys), ...renewals.said],
  });
  return { ok: true, prepared: { topology, plan: deployPlan, keys, nodes, identityKeys: identities.keys, identityRenewals: renewals.renewed, secrets, baseDir } };
}

/** A certificate's public key (SPKI DER), read once per application run: every deploy seals to every node's. Never written to. */
const identityKeyOf = textMemo((certPem: string): Uint8Array => new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' }));

/**
 * Each node's identity public key (SPKI DER), from its certificate in the overlay access: its secrets are sealed to it.
 * A certificate that cannot be read is refused before any key is made.
 */
function identityKeys(access: OverlayAccess, names: readonly string[]): { keys: Record<string, Uint8Array>; problems: string[] } {
  const keys: Record<string, Uint8Array> = {};
  const problems: string[] = [];
  for (const node of names) {
    try {
      keys[node] = identityKeyOf(access.nodes[node]!.certPem);
    } catch (error) {
      problems.push(`${node}: its identity certificate in the overlay access cannot be read (${(error as Error).message})`);
    }
  }
  return { keys, problems };
}
