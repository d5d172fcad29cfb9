import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCsr, readCsr } from '../../src-node/x509/certificationRequest.ts';
import { issuerFromCa } from '../../src-node/x509/issuer.ts';
import { certifyRequest } from '../../src-node/x509/signCsr.ts';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { packageLike } from '../deploy/packageLike.testkit.ts';
import { createIdentityRenewal } from './identityRenewal.ts';
import { ensureIdentityKey, identityPaths, installIdentityCertificate, loadIdentity } from './identityStore.ts';

const DAY_MS = 86_400_000;
const NOW = Date.now();
const ca = testCa('control CA (test)', { lifetimeDays: 3650 });
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** root-2 enrolled with a certificate issued `at`. */
async function enrolledNode() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'identity-renewal-'));
  dirs.push(dataDir);
  const key = await ensureIdentityKey(dataDir);
  const issue = (at: number, forKey = key) => certifyRequest(issuerFromCa(ca), readCsr(createCsr('root-2', forKey)), 'peer', { commonName: 'root-2', now: new Date(at) }).certPem;
  await installIdentityCertificate(dataDir, 'root-2', issue(NOW - 10 * DAY_MS), ca.certPem);
  const identity = await loadIdentity(dataDir, 'root-2');
  const used: string[] = [];
  const logged: string[] = [];
  const renew = createIdentityRenewal({ identity, dataDir, use: (pem) => used.push(pem), now: () => NOW, log: (event, fields) => logged.push(`${event} ${String(fields.reason ?? '')}`) });
  const carrying = (certPem: string) => packageLike({ nodes: { 'root-2': { backend: 'dry-run', files: {}, sealedSecrets: {}, identityCertificate: certPem } } });
  const stored = () => readFileSync(identityPaths(dataDir).cert, 'utf8');
  return { identity, issue, renew, carrying, used, logged, stored };
}

describe('createIdentityRenewal', () => {
  it('takes a certificate that outlasts the one in use: stored, in the identity, and put in use once', async () => {
    const node = await enrolledNode();
    const renewed = node.issue(NOW - DAY_MS);
    await node.renew(node.carrying(renewed));
    await node.renew(node.carrying(renewed));
    expect(node.used).toEqual([renewed]);
    expect(node.identity.certPem).toBe(renewed);
    expect(node.stored()).toBe(renewed);
    expect(node.logged).toEqual(['identity_renewed ']);
  });

  it.each<[string, (node: Awaited<ReturnType<typeof enrolledNode>>) => string, string | undefined]>([
    ['an older certificate (a package gone back to)', (node) => node.issue(NOW - 20 * DAY_MS), undefined],
    ['one not valid yet', (node) => node.issue(NOW + DAY_MS), 'identity_renewal_refused not valid before'],
    ['one for another key', (node) => node.issue(NOW - DAY_MS, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), "identity_renewal_refused the certificate is not for this node's identity key"],
  ])('keeps the certificate in use against %s', async (_name, make, refusal) => {
    const node = await enrolledNode();
    const before = node.stored();
    await node.renew(node.carrying(make(node)));
    expect(node.used).toEqual([]);
    expect(node.stored()).toBe(before);
    expect(node.identity.certPem).toBe(before);
    if (refusal === undefined) expect(node.logged).toEqual([]);
    else expect(node.logged[0]).toContain(refusal);
  });

  it('does nothing for a package without a certificate for it', async () => {
    const node = await enrolledNode();
    await node.renew(packageLike({ nodes: { 'root-2': { backend: 'dry-run', files: {}, sealedSecrets: {} } } }));
    expect(node.used).toEqual([]);
    expect(node.logged).toEqual([]);
  });
});
