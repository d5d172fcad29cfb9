// Benchmark of the PKI: client certificates per second on the bulk path against easy-rsa, and the keys of a
// render of a 500-root, 1,000-tunnel overlay. Last line: {"certsPerSec", "easyRsaCertsPerSec", "ratioToEasyRsa", "render500RootsMs"}.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueInBulk } from '../src-main/core/pki/bulkIssuer.ts';
import { ensureOverlayKeys } from '../src-main/core/pki/ensureOverlayKeys.ts';
import { createCa } from '../src-main/core/pki/issueCertificate.ts';
import { endEntityTemplate } from '../src-node/x509/certificateTemplate.ts';
import { issuerFromCa } from '../src-node/x509/issuer.ts';
import { planAddresses } from '../src-shared/plan/planAddresses.ts';
import type { Topology } from '../src-shared/topology/schemas.ts';
import { median, timeRuns } from './stats.ts';
import { syntheticTopology } from './topologies.ts';
import { renderOverlayFiles } from '../src-main/core/render/renderNodeFiles.ts';

const FAST_CERTS = 5_000;
const FAST_RUNS = 5;
const EASY_RSA = '/usr/share/easy-rsa/easyrsa';
const EASY_RSA_CERTS = 20;
const LARGE_RUNS = 3;

/** Fresh key pair + signed client certificate, `FAST_CERTS` at a time through the worker pool (its start-up included). */
async function fastPathCertsPerSec(): Promise<number> {
  const ca = createCa('Bench CA');
  const template = endEntityTemplate(issuerFromCa(ca), 'client', 'ec');
  const commonNames = Array.from({ length: FAST_CERTS }, (_, i) => `client-1-${i + 1}`);
  const times = await timeRuns(FAST_RUNS, () => issueInBulk([{ template, keyType: 'ecdsa-p256', commonNames }]));
  console.log(`fast path: ${FAST_CERTS} certificates per run, runs ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  return FAST_CERTS / (median(times) / 1000);
}

/** The same work by easy-rsa (EC P-256, batch mode, no passphrase) in a scratch PKI; null when easy-rsa is absent. */
function easyRsaCertsPerSec(): number | null {
  if (!existsSync(EASY_RSA)) {
    console.log(`easy-rsa: skipped, ${EASY_RSA} is not installed`);
    return null;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'raincoat-easyrsa-'));
  try {
    const easyrsa = (...args: string[]) => {
      const common = ['--batch', `--pki-dir=${path.join(dir, 'pki')}`, '--use-algo=ec', '--curve=prime256v1'];
      const result = spawnSync(EASY_RSA, [...common, ...args], { cwd: dir, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`easyrsa ${args.join(' ')} failed: ${result.stderr}`);
    };
    easyrsa('init-pki');
    easyrsa('--req-cn=Bench CA', 'build-ca', 'nopass');
    const start = performance.now();
    for (let i = 1; i <= EASY_RSA_CERTS; i++) easyrsa('build-client-full', `client-1-${i}`, 'nopass');
    const seconds = (performance.now() - start) / 1000;
    console.log(`easy-rsa: ${EASY_RSA_CERTS} certificates in ${seconds.toFixed(2)} s`);
    return EASY_RSA_CERTS / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 500 roots of 200 clients (two leaves each), each tunnelled to its next and next-but-one neighbour: 1,000 tunnels. */
/**
 * Time to render every node of the large overlay (all of renderOverlayFiles' files, in memory), its keys made
 * beforehand; the keys' own time is printed beside it.
 */
async function renderLargeOverlayMs(): Promise<number> {
  const plan = planAddresses(syntheticTopology(500, 1000, 200) as Topology);
  const keyStart = performance.now();
  const keys = await ensureOverlayKeys(plan, undefined);
  console.log(`500 roots / 1,000 tunnels: keys from scratch ${(performance.now() - keyStart).toFixed(0)} ms`);
  let fileCount = 0;
  const times = await timeRuns(LARGE_RUNS, () => (fileCount = renderOverlayFiles(plan, keys).length));
  console.log(`500 roots / 1,000 tunnels: render of ${fileCount} files, runs ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  return median(times);
}

const certsPerSec = await fastPathCertsPerSec();
const easyRsa = easyRsaCertsPerSec();
const render500RootsMs = await renderLargeOverlayMs();
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
console.log(
  JSON.stringify({
    certsPerSec: Math.round(certsPerSec),
    easyRsaCertsPerSec: easyRsa === null ? null : round(easyRsa, 2),
    ratioToEasyRsa: easyRsa === null ? null : Math.round(certsPerSec / easyRsa),
    render500RootsMs: round(render500RootsMs),
  }),
);
