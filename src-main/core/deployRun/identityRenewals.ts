// The nodes' identity certificates a deploy re-issues (issue 12 §4): each node whose certificate expires within
// RENEW_WITHIN_DAYS gets its own key certified again by the control CA, with its part; the agent takes it as it runs.
import { X509Certificate } from 'node:crypto';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { expiresWithin, notAfter, RENEW_WITHIN_DAYS } from '../pki/certificateRenewal.ts';
import { issuerFromCa, type SigningCa } from '../../../src-node/x509/issuer.ts';
import { recertifyNodeIdentity } from '../pki/nodeIdentity.ts';
import type { DeployedRecord } from './deployedRecord.ts';

export interface IdentityRenewals {
  /** The renewed certificates (PEM), by node. */
  renewed: Map<string, string>;
  /** What the plan says of each expiring certificate: renewed, or why it cannot be. */
  said: string[];
}

/**
 * By node, the renewed certificates. A node's current certificate is the one the last deploy it ran gave it, else the
 * one the overlay access holds (from its enrollment). Only the control CA the agents trust can renew them: when the
 * overlay's keys hold another (the sandbox enrolls its agents with a CA of its own, kept nowhere), each is said instead.
 */
export function identityRenewals(access: OverlayAccess, previous: DeployedRecord | undefined, controlCa: SigningCa, names: readonly string[], now: Date): IdentityRenewals {
  const renewed = new Map<string, string>();
  const said: string[] = [];
  const trusted = sameCertificate(controlCa.certPem, access.controlCaPem);
  let issuer: ReturnType<typeof issuerFromCa> | undefined;
  for (const node of names) {
    const current = previous?.nodes[node]?.identityCertificate ?? access.nodes[node]!.certPem;
    if (!expiresWithin(current, now, RENEW_WITHIN_DAYS)) continue;
    const expires = notAfter(current).toISOString().slice(0, 10);
    if (!trusted) {
      said.push(`${node}: its identity certificate expires ${expires} and cannot be renewed here: the overlay's keys hold another control CA than the one its agents trust; enroll the node again`);
      continue;
    }
    issuer ??= issuerFromCa(controlCa);
    renewed.set(node, recertifyNodeIdentity(issuer, node, current, now));
    said.push(`${node}: identity certificate renewed (the one it has expires ${expires})`);
  }
  return { renewed, said };
}

function sameCertificate(a: string, b: string): boolean {
  return new X509Certificate(a).fingerprint256 === new X509Certificate(b).fingerprint256;
}
