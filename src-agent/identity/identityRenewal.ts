// Takes the identity certificate a deploy re-issued to this node (issue 12 §4): checked against the node's own key,
// name and control CA, stored, and put in use while the agent runs (its server, its client, its flooded messages).
import { X509Certificate } from 'node:crypto';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { installIdentityCertificate, type Identity } from './identityStore.ts';

export interface IdentityRenewalOptions {
  identity: Identity;
  dataDir: string;
  /** Puts the stored certificate in use; the identity already holds it when called. */
  use(certPem: string): void;
  now(): number;
  log(event: string, fields: Record<string, unknown>): void;
}

/** Takes the renewed certificate a package carries for this node, if any and if it outlasts the one in use. */
export function createIdentityRenewal(options: IdentityRenewalOptions): (pkg: DeployPackage) => Promise<void> {
  const { identity } = options;
  return async (pkg) => {
    const certPem = pkg.nodes[identity.node]?.identityCertificate;
    if (certPem === undefined || certPem === identity.certPem) return;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certPem);
    } catch {
      return options.log('identity_renewal_refused', { topologyId: pkg.topologyId, reason: 'not a readable certificate' });
    }
    // The same package again, or an older one gone back to: the certificate in use lasts as long or longer.
    if (Date.parse(cert.validTo) <= Date.parse(identity.cert.validTo)) return;
    // Its neighbours would refuse the messages it carried (and TLS clients the server) until then.
    if (Date.parse(cert.validFrom) > options.now()) return options.log('identity_renewal_refused', { topologyId: pkg.topologyId, reason: `not valid before ${cert.validFrom}` });
    try {
      await installIdentityCertificate(options.dataDir, identity.node, certPem, identity.caPem);
    } catch (error) {
      return options.log('identity_renewal_refused', { topologyId: pkg.topologyId, reason: (error as Error).message });
    }
    identity.certPem = certPem;
    identity.cert = cert;
    options.use(certPem);
    options.log('identity_renewed', { topologyId: pkg.topologyId, validTo: cert.validTo });
  };
}
