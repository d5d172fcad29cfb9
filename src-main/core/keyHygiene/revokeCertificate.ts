// Revoking a leaf's or a client's certificates, pure: the kept keys with their serials on the CRL of their root's
// OpenVPN CA and without them, so that the next deploy carries the CRL to every server of that cloud (the root's uplink
// server, each leaf's client server) and gives a revoked leaf new certificates.
import { parseNodeName } from '../../../src-shared/plan/nodeNames.ts';
import { revokeSerials } from '../pki/crl.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';

/** What `revoke` may be given: a leaf (`leaf-1-2`) or a client (`client-1-3`); a root is told apart to say why not. */
export type Revocable = { kind: 'leaf' | 'client' | 'root'; name: string };

const CLIENT = /^client-[1-9]\d{0,9}-[1-9]\d{0,5}$/;

export function parseRevocable(text: string): Revocable | undefined {
  if (CLIENT.test(text)) return { kind: 'client', name: text };
  const node = parseNodeName(text);
  return node === undefined ? undefined : { kind: node.role, name: text };
}

export type RevokeOutcome =
  /** `revoked`: how many serials the CRL gains; 0 when a leaf's were revoked already (a revocation not deployed yet). */
  | { ok: true; keys: OverlayKeys; rootId: number; revoked: number }
  | { ok: false; reason: string };

/** `deployedLeaves`: the leaves of the topology last deployed; a leaf must be one of them. */
export function revokeInKeys(keys: OverlayKeys, deployedLeaves: readonly string[], what: Revocable, now: Date): RevokeOutcome {
  switch (what.kind) {
    case 'root':
      return { ok: false, reason: `${what.name} is a root: its certificates are its cloud's own, and revoke takes a leaf or a client` };
    case 'leaf': {
      const rootId = parseNodeName(what.name)!.rootId;
      if (!deployedLeaves.includes(what.name)) return { ok: false, reason: `the deployed topology has no ${what.name}` };
      const leaf = keys.leaves[what.name];
      if (leaf === undefined) return { ok: true, keys, rootId, revoked: 0 };
      const { [what.name]: _revoked, ...leaves } = keys.leaves;
      return withRevoked({ ...keys, leaves }, rootId, [leaf.clientServer.serial, leaf.uplinkClient.serial], now);
    }
    case 'client': {
      const client = keys.clients[what.name];
      if (client === undefined) {
        return { ok: false, reason: `the overlay's kept keys have no ${what.name}: a client the agents enrolled, or one revoked already, is not kept here` };
      }
      const { [what.name]: _revoked, ...clients } = keys.clients;
      return withRevoked({ ...keys, clients }, client.rootId, [client.serial], now);
    }
  }
}

function withRevoked(keys: OverlayKeys, rootId: number, serials: readonly string[], now: Date): RevokeOutcome {
  const root = keys.roots[String(rootId)];
  if (root === undefined) return { ok: false, reason: `the overlay's kept keys have no OpenVPN CA for root-${rootId}, which signed it` };
  const openvpnCa = revokeSerials(root.openvpnCa, serials, now);
  const revoked = openvpnCa.revokedSerials.length - root.openvpnCa.revokedSerials.length;
  return { ok: true, keys: { ...keys, roots: { ...keys.roots, [String(rootId)]: { ...root, openvpnCa } } }, rootId, revoked };
}
