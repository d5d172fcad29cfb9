// Calls a get_deploy stream handler with a fake request and response, as the agent's server would.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Caller, StreamHandler } from '../wire/route.ts';

const NEIGHBOUR: Caller = { node: 'root-2', bearer: undefined, address: '127.0.0.1' };

/** `answer` resolves with what was sent; `close` is the neighbour going away (or done reading). */
export function callGetDeploy(handler: StreamHandler, wanted: { topologyId: string; digest: string }) {
  const request = Object.assign(new PassThrough(), { headers: { 'content-type': 'application/json' }, complete: true });
  const events = new EventEmitter();
  let done: (value: { status: number; bytes: Buffer }) => void = () => undefined;
  const answer = new Promise<{ status: number; bytes: Buffer }>((resolve) => (done = resolve));
  let status = 0;
  const chunks: Buffer[] = [];
  const response = Object.assign(events, {
    destroyed: false,
    setHeader: () => undefined,
    writeHead: (code: number) => (status = code),
    write: (chunk: Buffer) => chunks.push(chunk) > 0,
    end: () => done({ status, bytes: Buffer.concat(chunks) }),
    destroy: () => events.emit('close'),
  });
  handler.stream(NEIGHBOUR, request as unknown as IncomingMessage, response as unknown as ServerResponse);
  request.end(JSON.stringify({ topologyId: wanted.topologyId, digest: wanted.digest }));
  return { answer, close: () => events.emit('close') };
}
