// Brings the overlay's keys in line with an address plan: makes only what is missing, keeps everything that exists
// byte for byte (a new key for a running node would break its tunnels) but certificates about to expire, which it
// renews under the same CA, and drops what left the plan and revokes it.
import type { AddressPlan, RootPlan } from '../../../src-shared/plan/planAddresses.ts';
import { endEntityTemplate, type EndEntityProfile } from '../../../src-node/x509/certificateTemplate.ts';
import { issuerFromCa } from '../../../src-node/x509/issuer.ts';
import { issueInBulk, type BulkBatch, type BulkIssueOptions } from './bulkIssuer.ts';
import { revokeSerials } from './crl.ts';
import { RENEW_WITHIN_DAYS, expiresWithin } from './certificateRenewal.ts';
import { createCa } from './issueCertificate.ts';
import { DEFAULT_KEY_TYPE, keyAlgorithm } from './keyPairs.ts';
import type { CaMaterial, CertifiedKey, ClientKeys, KeyType, LeafKeys, OverlayKeys } from './keyTypes.ts';
import { generatePsk } from './psk.ts';
import { generateTlsCryptKey } from './tlsCryptKey.ts';
import { generateTlsCryptV2ClientKey, generateTlsCryptV2ServerKey } from '../../../src-node/openvpn/tlsCryptV2.ts';

export interface EnsureOverlayKeysOptions {
  /** For a new overlay; an existing one keeps its type (asking for another throws). */
  keyType?: KeyType;
  /** Client certificates per root (`client-<rootId>-1` …); default one per leaf of the root. */
  clientsPerRoot?: number | ((root: RootPlan) => number);
  /** Lifetime of new end-entity certificates; default DEFAULT_CERTIFICATE_LIFETIME_DAYS. */
  lifetimeDays?: number;
  /** Kept certificates that expire within this many days of `now` are issued anew; default RENEW_WITHIN_DAYS. */
  renewWithinDays?: number;
  now?: Date;
  bulk?: BulkIssueOptions;
}

export const CONTROL_CA_NAME = 'Raincoat control CA';

export function openvpnCaName(root: RootPlan): string {
  return `Raincoat OpenVPN CA ${root.nodeName}`;
}

export function clientName(rootId: number, index: number): string {
  return `client-${rootId}-${index}`;
}

const LEAF_NAME = /^leaf-(\d+)-\d+$/;

function resolveKeyType(previous: OverlayKeys | undefined, requested: KeyType | undefined): KeyType {
  if (previous && requested && requested !== previous.keyType) {
    throw new Error(`the overlay's keys are ${previous.keyType}; switching to ${requested} would mean new keys for every node`);
  }
  return previous?.keyType ?? requested ?? DEFAULT_KEY_TYPE;
}

function clientNames(root: RootPlan, clientsPerRoot: EnsureOverlayKeysOptions['clientsPerRoot']): string[] {
  const count = clientsPerRoot === undefined ? root.leaves.length : typeof clientsPerRoot === 'function' ? clientsPerRoot(root) : clientsPerRoot;
  return Array.from({ length: count }, (_, i) => clientName(root.rootId, i + 1));
}

/** What `previous` holds that can serve `root` as it is: nothing, unless the root keeps its CA (which signed the rest). */
function keptFor(previous: OverlayKeys | undefined, root: RootPlan) {
  const rootKeys = previous?.roots[String(root.rootId)];
  return {
    root: rootKeys,
    leaf: (name: string): LeafKeys | undefined => (rootKeys ? previous?.leaves[name] : undefined),
    client: (name: string): ClientKeys | undefined => {
      const client = rootKeys ? previous?.clients[name] : undefined;
      return client?.rootId === root.rootId ? client : undefined;
    },
  };
}

/** One end-entity certificate to make; `commonName` and `profile` identify it within its root. */
interface Request {
  rootId: number;
  profile: EndEntityProfile;
  commonName: string;
}

const requestKey = (r: Request) => `${r.rootId}/${r.profile}/${r.commonName}`;

export async function ensureOverlayKeys(
  plan: AddressPlan,
  previous: OverlayKeys | undefined,
  options: EnsureOverlayKeysOptions = {},
): Promise<OverlayKeys> {
  const keyType = resolveKeyType(previous, options.keyType);
  const now = options.now ?? new Date();

  const renewWithinDays = options.renewWithinDays ?? RENEW_WITHIN_DAYS;
  const expiring = (certified: CertifiedKey) => expiresWithin(certified.certPem, now, renewWithinDays);

  const cas = new Map<number, CaMaterial>();
  const requests: Request[] = [];
  for (const root of plan.roots) {
    const kept = keptFor(previous, root);
    cas.set(root.rootId, kept.root?.openvpnCa ?? createCa(openvpnCaName(root), { keyType, now }));
    const need = (profile: EndEntityProfile, commonName: string) => requests.push({ rootId: root.rootId, profile, commonName });
    if (!kept.root || expiring(kept.root.uplinkServer)) need('server', root.nodeName);
    for (const leaf of root.leaves) {
      const keptLeaf = kept.leaf(leaf.nodeName);
      if (!keptLeaf || expiring(keptLeaf.clientServer)) need('server', leaf.nodeName);
      if (!keptLeaf || expiring(keptLeaf.uplinkClient)) need('client', leaf.nodeName);
    }
    for (const name of clientNames(root, options.clientsPerRoot)) {
      const keptClient = kept.client(name);
      if (!keptClient || expiring(keptClient)) need('client', name);
    }
  }
  const issued = await issueRequests(requests, cas, keyType, options, now);
  /** The certificate issued now for a request, or undefined when it was not requested (kept as it is). */
  const fresh = (rootId: number, profile: EndEntityProfile, commonName: string) => issued.get(requestKey({ rootId, profile, commonName }));
  const take = (rootId: number, profile: EndEntityProfile, commonName: string) => fresh(rootId, profile, commonName)!;

  const keys: OverlayKeys = {
    version: 2,
    keyType,
    controlCa: previous?.controlCa ?? createCa(CONTROL_CA_NAME, { keyType, now }),
    roots: {},
    leaves: {},
    tunnels: {},
    clients: {},
  };
  for (const root of plan.roots) {
    const kept = keptFor(previous, root);
    const id = root.rootId;
    // What is kept stays the very same object unless a certificate in it was renewed.
    const renewedUplink = fresh(id, 'server', root.nodeName);
    const rootKeys = (keys.roots[String(id)] = !kept.root
      ? {
          openvpnCa: cas.get(id)!,
          uplinkServer: take(id, 'server', root.nodeName),
          uplinkTlsCrypt: generateTlsCryptKey(),
          clientTlsCrypt: generateTlsCryptKey(),
          clientTlsCryptV2: generateTlsCryptV2ServerKey(),
        }
      : renewedUplink
        ? { ...kept.root, uplinkServer: renewedUplink }
        : kept.root);
    for (const { nodeName } of root.leaves) {
      const keptLeaf = kept.leaf(nodeName);
      const clientServer = fresh(id, 'server', nodeName);
      const uplinkClient = fresh(id, 'client', nodeName);
      keys.leaves[nodeName] =
        keptLeaf && !clientServer && !uplinkClient
          ? keptLeaf
          : { clientServer: clientServer ?? keptLeaf!.clientServer, uplinkClient: uplinkClient ?? keptLeaf!.uplinkClient };
    }
    for (const name of clientNames(root, options.clientsPerRoot)) {
      const keptClient = kept.client(name);
      const certified = fresh(id, 'client', name);
      // A renewed certificate keeps the client's tls-crypt-v2 key: its profile changes, the key it was given stays good.
      keys.clients[name] = !certified
        ? keptClient!
        : { ...certified, rootId: id, tlsCryptV2: keptClient?.tlsCryptV2 ?? generateTlsCryptV2ClientKey(rootKeys.clientTlsCryptV2, { now }) };
    }
  }
  for (const tunnel of plan.tunnels) {
    keys.tunnels[tunnel.name] = previous?.tunnels[tunnel.name] ?? { psk: generatePsk() };
  }
  if (previous) revokeDropped(keys, previous, now);
  return keys;
}

/** Issues all requests in one bulk run, a batch per root and profile; the results by `requestKey`. */
async function issueRequests(
  requests: readonly Request[],
  cas: ReadonlyMap<number, CaMaterial>,
  keyType: KeyType,
  options: EnsureOverlayKeysOptions,
  now: Date,
): Promise<Map<string, CertifiedKey>> {
  const groups = new Map<string, Request[]>();
  for (const request of requests) {
    const group = `${request.rootId}/${request.profile}`;
    const members = groups.get(group);
    if (members) members.push(request);
    else groups.set(group, [request]);
  }
  const batches: BulkBatch[] = [...groups.values()].map((group) => {
    const { rootId, profile } = group[0]!;
    const template = endEntityTemplate(issuerFromCa(cas.get(rootId)!), profile, keyAlgorithm(keyType), { now, lifetimeDays: options.lifetimeDays });
    return { template, keyType, commonNames: group.map((r) => r.commonName) };
  });
  const issued = await issueInBulk(batches, options.bulk);
  const byKey = new Map<string, CertifiedKey>();
  [...groups.values()].forEach((group, batch) => group.forEach((request, i) => byKey.set(requestKey(request), issued[batch]![i]!)));
  return byKey;
}

/** Revokes, with the CA that signed them, the certificates of leaves and clients that left the plan while their root stayed. */
function revokeDropped(keys: OverlayKeys, previous: OverlayKeys, now: Date): void {
  const dropped = new Map<string, string[]>();
  const drop = (rootId: string, serials: string[]) => {
    // Only a CA carried over from `previous` signed these; a new CA never saw them.
    if (keys.roots[rootId] === undefined || keys.roots[rootId].openvpnCa !== previous.roots[rootId]?.openvpnCa) return;
    const list = dropped.get(rootId);
    if (list) list.push(...serials);
    else dropped.set(rootId, serials);
  };
  for (const [name, leaf] of Object.entries(previous.leaves)) {
    const rootId = LEAF_NAME.exec(name)?.[1];
    if (rootId && keys.leaves[name] === undefined) drop(rootId, [leaf.clientServer.serial, leaf.uplinkClient.serial]);
  }
  for (const [name, client] of Object.entries(previous.clients)) {
    if (keys.clients[name]?.rootId !== client.rootId) drop(String(client.rootId), [client.serial]);
  }
  for (const [rootId, serials] of dropped) {
    const root = keys.roots[rootId]!;
    keys.roots[rootId] = { ...root, openvpnCa: revokeSerials(root.openvpnCa, serials, now) };
  }
}
