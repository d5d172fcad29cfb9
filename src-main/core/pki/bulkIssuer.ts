// Issues many certificates with fresh keys, spread over worker threads (one per core); small batches stay on the calling thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CertificateTemplate } from '../../../src-node/x509/certificateEncoder.ts';
import { issueFromTemplate } from './issueBatch.ts';
import type { CertifiedKey, KeyType } from './keyTypes.ts';

/** Certificates of one template: one fresh key pair and certificate per common name. */
export interface BulkBatch {
  template: CertificateTemplate;
  keyType: KeyType;
  commonNames: readonly string[];
}

export interface BulkIssueOptions {
  /**
   * The worker module (`issueWorker.ts`), as a URL or path. Defaults to the file beside this one, which is right when
   * running from source; a bundle that does not keep that file beside it passes its own bundled worker here.
   */
  workerUrl?: URL | string;
  /** Worker threads; default one per core. */
  threads?: number;
  /** Fewer certificates than this in all are issued on the calling thread, where starting workers would cost more. */
  inlineBelow?: number;
}

/** What a worker is posted: up to JOB_SIZE certificates, possibly from several batches; and its answer, per part. */
export interface IssueJob {
  id: number;
  parts: BulkBatch[];
}
export type IssueReply = { id: number; issued: CertifiedKey[][] } | { id: number; error: string };

const JOB_SIZE = 250;
/** Jobs queued per worker, so that it never waits for the main thread between two. */
const IN_FLIGHT = 2;
const DEFAULT_INLINE_BELOW = 200;

interface Placed {
  job: IssueJob;
  /** Where each part's certificates go: its batch and the offset in it. */
  targets: Array<{ batch: number; offset: number }>;
}

/** Cuts the batches into jobs of about JOB_SIZE certificates, so that small batches share a job. */
function jobsOf(batches: readonly BulkBatch[]): Placed[] {
  const jobs: Placed[] = [];
  let current: Placed | undefined;
  let size = 0;
  batches.forEach(({ template, keyType, commonNames }, batch) => {
    for (let offset = 0; offset < commonNames.length; ) {
      if (!current || size === JOB_SIZE) {
        current = { job: { id: jobs.length, parts: [] }, targets: [] };
        jobs.push(current);
        size = 0;
      }
      const take = Math.min(JOB_SIZE - size, commonNames.length - offset);
      current.job.parts.push({ template, keyType, commonNames: commonNames.slice(offset, offset + take) });
      current.targets.push({ batch, offset });
      size += take;
      offset += take;
    }
  });
  return jobs;
}

function defaultWorkerUrl(): URL {
  // A CommonJS bundle has no import.meta.url: it must say where its bundled worker is.
  if (!import.meta.url) throw new Error('issueInBulk: this module has no URL (a CommonJS bundle?); pass options.workerUrl');
  return new URL('./issueWorker.ts', import.meta.url);
}

/** For each batch, its certificates in the order of its common names. */
export async function issueInBulk(batches: readonly BulkBatch[], options: BulkIssueOptions = {}): Promise<CertifiedKey[][]> {
  const total = batches.reduce((n, b) => n + b.commonNames.length, 0);
  if (total < (options.inlineBelow ?? DEFAULT_INLINE_BELOW)) {
    return batches.map((b) => issueFromTemplate(b.template, b.keyType, b.commonNames));
  }
  const results = batches.map((b) => new Array<CertifiedKey>(b.commonNames.length));
  const jobs = jobsOf(batches);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), jobs.length));
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const workers = Array.from({ length: threads }, () => new Worker(workerUrl));
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const feed = (worker: Worker) => {
        const placed = jobs[next++];
        if (placed) worker.postMessage(placed.job);
      };
      for (const worker of workers) {
        worker.on('message', (reply: IssueReply) => {
          if ('error' in reply) return reject(new Error(`certificate issuing failed in a worker: ${reply.error}`));
          jobs[reply.id]!.targets.forEach(({ batch, offset }, part) => {
            const issued = reply.issued[part]!;
            for (let i = 0; i < issued.length; i++) results[batch]![offset + i] = issued[i]!;
          });
          if (++done === jobs.length) resolve();
          else feed(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => code !== 0 && reject(new Error(`certificate worker exited with code ${code}`)));
        for (let i = 0; i < IN_FLIGHT; i++) feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
