// Certifies the sandbox's nodes with its control CA: the host made each node's key and request, and the CA decides
// the name (each request is certified for the node it was asked for, whatever name it carries).
import { readCsr } from '../../../src-node/x509/certificationRequest.ts';
import { issuerFromCa } from '../../../src-node/x509/issuer.ts';
import type { SigningCa } from '../../../src-node/x509/issuer.ts';
import { certifyNodeIdentity } from '../pki/nodeIdentity.ts';
import { SandboxError } from './sandboxError.ts';

/** Each node's identity certificate; refuses requests that are not exactly for `nodes` or do not check out. */
export function certifyNodes(ca: SigningCa, csrs: Readonly<Record<string, string>>, nodes: readonly string[]): Record<string, string> {
  const asked = Object.keys(csrs);
  const missing = nodes.filter((node) => csrs[node] === undefined);
  const foreign = asked.filter((node) => !nodes.includes(node));
  if (missing.length > 0 || foreign.length > 0) {
    throw new SandboxError(`the host asked certificates for other nodes than the topology's (${[...missing.map((n) => `no ${n}`), ...foreign.map((n) => `${n} is none`)].join(', ')})`);
  }
  const issuer = issuerFromCa(ca);
  const certs: Record<string, string> = {};
  for (const node of nodes) {
    certs[node] = certifyNodeIdentity(issuer, node, readCsr(csrs[node]!));
  }
  return certs;
}
