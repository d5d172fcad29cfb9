// Answers the neighbours' `get_deploy`: the package asked for, when this node keeps it or is fetching it; a bounded number
// of answers at a time, each given up when not read by its deadline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { Clock } from '../clock.ts';
import { Refusal } from '../wire/refusal.ts';
import type { ResponderHandler } from '../wire/route.ts';
import type { PackageBytes } from './packageBytes.ts';

/** A get_deploy answer not read by then is given up, so neighbours that stop reading cannot hold every answer slot. */
export const ANSWER_DEADLINE_MS = 120_000;

/** Slices of the shared bytes handed to the socket at a time: only what the neighbour is reading gets encrypted and buffered. */
const SEND_CHUNK_BYTES = 64 * 1024;

export interface DeployAnswersOptions {
  /** The package with that id and digest: the one kept, or one being fetched (once it is); undefined when neither. */
  find(wanted: { topologyId: string; digest: string }): Promise<DeployPackage | undefined>;
  bytesOf: PackageBytes;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** How many answers may be in flight at once; beyond that a neighbour is told to ask again. */
  maxAnswers: number;
  log(event: string, fields: Record<string, unknown>): void;
}

/** A responder, to know when an answer is out: each holds the package's bytes until the neighbour has read them. */
export function getDeployHandler(options: DeployAnswersOptions): ResponderHandler<'getDeploy'> {
  let answers = 0;

  async function answer(wanted: { topologyId: string; digest: string }): Promise<Buffer> {
    const pkg = await options.find(wanted);
    if (!pkg) throw new Refusal('not_found', `no package ${wanted.topologyId} with that digest here`);
    return options.bytesOf(pkg);
  }

  return {
    respond(_caller, wanted, request, response) {
      if (answers >= options.maxAnswers) throw new Refusal('unavailable', `${answers} packages are being sent already; ask again shortly`);
      answers++;
      const deadline = options.clock.setTimeout(() => response.destroy(), ANSWER_DEADLINE_MS);
      response.once('close', () => {
        answers--;
        options.clock.clearTimeout(deadline);
      });
      answer(wanted).then(
        (bytes) => send(request, response, 200, bytes),
        (error: unknown) => {
          const refusal = error instanceof Refusal ? error : new Refusal('unavailable', 'internal error');
          if (!(error instanceof Refusal)) options.log('deploy_serve_error', { error: String(error) });
          send(request, response, refusal.status, Buffer.from(JSON.stringify({ error: refusal.code, reason: refusal.message })));
        },
      );
    },
  };
}

/** Sends an answer; a neighbour gone meanwhile gets nothing, and a refusal before the body was read closes the connection. */
function send(request: IncomingMessage, response: ServerResponse, status: number, bytes: Buffer): void {
  if (response.destroyed) return;
  if (!request.complete) response.setHeader('connection', 'close');
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  let offset = 0;
  const pump = () => {
    while (offset < bytes.length) {
      const chunk = bytes.subarray(offset, (offset += SEND_CHUNK_BYTES));
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    response.end();
  };
  pump();
}
