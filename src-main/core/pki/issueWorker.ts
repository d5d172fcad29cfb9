// Worker-thread entry of the bulk issuer: issues each job of certificates it is posted and posts them back.
import { parentPort } from 'node:worker_threads';
import type { IssueJob, IssueReply } from './bulkIssuer.ts';
import { issueFromTemplate } from './issueBatch.ts';

const port = parentPort;
if (!port) throw new Error('issueWorker.ts runs as a worker thread of bulkIssuer.ts');
port.on('message', (job: IssueJob) => {
  let reply: IssueReply;
  try {
    reply = { id: job.id, issued: job.parts.map((part) => issueFromTemplate(part.template, part.keyType, part.commonNames)) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
