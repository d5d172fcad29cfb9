import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { endEntityTemplate } from '../../../src-node/x509/certificateTemplate.ts';
import { issuerFromCa } from '../../../src-node/x509/issuer.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, type Scratch } from '../../../src-node/x509/pki.testkit.ts';
import { issueInBulk, type BulkBatch } from './bulkIssuer.ts';
import { createCa } from './issueCertificate.ts';

const clientCa = createCa('Client CA');
const serverCa = createCa('Server CA');
const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
const batches: BulkBatch[] = [
  { template: endEntityTemplate(issuerFromCa(clientCa), 'client', 'ec'), keyType: 'ecdsa-p256', commonNames: names('client-1', 600) },
  { template: endEntityTemplate(issuerFromCa(serverCa), 'server', 'ec'), keyType: 'ecdsa-p256', commonNames: names('leaf-2', 7) },
];

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

test.for([
  ['worker threads', { inlineBelow: 0, threads: 2 }],
  ['the calling thread', { inlineBelow: Number.POSITIVE_INFINITY }],
] as const)('on %s, every batch gets its certificates in order, each from its CA', async ([, options], ctx) => {
  const [clients, servers] = await issueInBulk(batches, options);
  expect(clients!.map((c) => certificateFacts(c.certPem).subjectCn)).toEqual(batches[0]!.commonNames);
  expect(servers!.map((c) => certificateFacts(c.certPem).subjectCn)).toEqual(batches[1]!.commonNames);
  expect(new Set([...clients!, ...servers!].map((c) => c.serial)).size).toBe(607);
  expect(certificateFacts(clients![599]!.certPem)).toMatchObject({ issuerCn: 'Client CA', extendedKeyUsage: ['1.3.6.1.5.5.7.3.2'] });
  expect(certificateFacts(servers![0]!.certPem)).toMatchObject({ issuerCn: 'Server CA', extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'] });
  for (const c of [clients![0]!, clients![599]!, servers![6]!]) {
    expect(new X509Certificate(c.certPem).checkPrivateKey(createPrivateKey(c.keyPem))).toBe(true);
  }

  skipIf(ctx, opensslMissing);
  const files = clients!.map((c, i) => scratch.write(`c${i}.crt`, c.certPem));
  const verified = scratch.run('openssl', ['verify', '-CAfile', scratch.write('ca.crt', clientCa.certPem), ...files]);
  expect(verified.status, verified.stderr).toBe(0);
  expect(verified.stdout.trimEnd().split('\n').filter((line) => line.endsWith(': OK'))).toHaveLength(600);
});

test('an error in a worker rejects the whole run', async () => {
  const broken: BulkBatch = { ...batches[0]!, commonNames: [42 as unknown as string] };
  await expect(issueInBulk([broken], { inlineBelow: 0, threads: 1 })).rejects.toThrow(/in a worker/);
});

test('a worker module that does not exist rejects the run', async () => {
  const workerUrl = new URL('./noSuchWorker.ts', import.meta.url);
  await expect(issueInBulk(batches, { inlineBelow: 0, threads: 2, workerUrl })).rejects.toThrow();
});
