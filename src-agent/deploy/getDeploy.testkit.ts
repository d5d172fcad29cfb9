// Calls a get_deploy responder with a fake request and response, as the agent's server would: the body checked first.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import type { BodyOf } from '../../src-shared/protocol/agentApi.ts';
import { checkedBody } from '../wire/agentServer.ts';
import { Refusal } from '../wire/refusal.ts';
import type { Caller, ResponderHandler } from '../wire/route.ts';

const NEIGHBOUR: Caller = { node: 'root-2', bearer: undefined, address: '127.0.0.1' };

/** `answer` resolves with what was sent; `close` is the neighbour going away (or done reading). Asked by root-2 unless told. */
export function callGetDeploy(handler: ResponderHandler<'getDeploy'>, wanted: { topologyId: string; digest: string; parts?: string[] }, asker: Caller = NEIGHBOUR) {
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
  let body: BodyOf<'getDeploy'>;
  try {
    body = checkedBody(agentApi.getDeploy, { topologyId: wanted.topologyId, digest: wanted.digest, ...(wanted.parts === undefined ? {} : { parts: wanted.parts }) }) as BodyOf<'getDeploy'>;
  } catch (error) {
    // As the server answers a body its schema refuses, before any handler sees it.
    if (!(error instanceof Refusal)) throw error;
    const refused = Promise.resolve({ status: error.status, bytes: Buffer.from(JSON.stringify({ error: error.code, reason: error.message })) });
    return { answer: refused, close: () => undefined };
  }
  handler.respond(asker, body, request as unknown as IncomingMessage, response as unknown as ServerResponse);
  request.end();
  return { answer, close: () => events.emit('close') };
}
