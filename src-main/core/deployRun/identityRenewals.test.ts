import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { createCsr, readCsr } from '../../../src-node/x509/certificationRequest.ts';
import { issuerFromCa } from '../../../src-node/x509/issuer.ts';
import { createCa } from '../pki/issueCertificate.ts';
import { certifyNodeIdentity } from '../pki/nodeIdentity.ts';
import { DEPLOYED_RECORD_VERSION, type DeployedRecord } from './deployedRecord.ts';
import { identityRenewals } from './identityRenewals.ts';

const DAY_MS = 86_400_000;
const ENROLLED = new Date('2026-01-01T00:00:00Z');
const ca = createCa('raincoat control CA (test)');
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const certified = (node: string, at: Date) => certifyNodeIdentity(issuerFromCa(ca), node, readCsr(createCsr(node, key)), at);
/** root-1 and root-2 enrolled on 2026-01-01 (825 days: until 2028-04-05). */
const access: OverlayAccess = {
  version: 1,
  name: 'test',
  entry: 'root-1',
  controlCaPem: ca.certPem,
  nodes: Object.fromEntries(['root-1', 'root-2'].map((node, i) => [node, { url: `https://127.0.0.1:${7443 + i}`, certPem: certified(node, ENROLLED), backend: 'linux' as const }])),
};
const expiry = new X509Certificate(access.nodes['root-1']!.certPem).validTo;
const daysBeforeExpiry = (days: number) => new Date(Date.parse(expiry) - days * DAY_MS);

describe('identityRenewals', () => {
  it('certifies the same key again, under the same name, once a certificate expires within 30 days', () => {
    const now = daysBeforeExpiry(20);
    const { renewed, said } = identityRenewals(access, undefined, ca, ['root-1', 'root-2'], now);
    expect([...renewed.keys()]).toEqual(['root-1', 'root-2']);
    const cert = new X509Certificate(renewed.get('root-2')!);
    expect(cert.subject).toContain('CN=root-2');
    expect(cert.publicKey.equals(new X509Certificate(access.nodes['root-2']!.certPem).publicKey)).toBe(true);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(Date.parse(cert.validFrom)).toBeLessThanOrEqual(now.getTime());
    expect(Date.parse(cert.validTo)).toBeGreaterThan(Date.parse(expiry));
    expect(said).toEqual([`root-1: identity certificate renewed (the one it has expires ${new Date(expiry).toISOString().slice(0, 10)})`, `root-2: identity certificate renewed (the one it has expires ${new Date(expiry).toISOString().slice(0, 10)})`]);
  });

  it('leaves a certificate that lasts longer, and renews from the one the last deploy gave', () => {
    expect(identityRenewals(access, undefined, ca, ['root-1'], daysBeforeExpiry(31))).toEqual({ renewed: new Map(), said: [] });
    const previous: DeployedRecord = {
      version: DEPLOYED_RECORD_VERSION,
      topologyId: 't1',
      deployedAt: '2028-03-10T00:00:00.000Z',
      topology: { roots: [], tunnels: [] },
      nodes: { 'root-1': { backend: 'linux', files: {}, identityCertificate: certified('root-1', daysBeforeExpiry(25)) } },
    };
    const { renewed } = identityRenewals(access, previous, ca, ['root-1', 'root-2'], daysBeforeExpiry(20));
    expect([...renewed.keys()]).toEqual(['root-2']);
  });

  it('says why it cannot renew when the overlay keys hold another control CA than the agents trust', () => {
    const other = createCa('another control CA');
    const { renewed, said } = identityRenewals(access, undefined, other, ['root-1'], daysBeforeExpiry(5));
    expect(renewed.size).toBe(0);
    expect(said).toEqual([`root-1: its identity certificate expires ${new Date(expiry).toISOString().slice(0, 10)} and cannot be renewed here: the overlay's keys hold another control CA than the one its agents trust; enroll the node again`]);
  });
});
