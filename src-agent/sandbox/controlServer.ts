// The sandbox host's control channel: the routes of src-shared/sandbox/sandboxControl.ts as HTTP on 127.0.0.1, each
// request let in only with the random token the host keeps in its 0600 file (loopback alone would let in any local user).
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxControlApi } from '../../src-shared/sandbox/sandboxControl.ts';
import type { ControlAnswer, ControlBody, ControlRoute } from '../../src-shared/sandbox/sandboxControl.ts';
import { zodProblems } from '../../src-shared/validation/zodProblems.ts';
import { listProblems } from '../wire/refusalReason.ts';
import type { Clock } from '../clock.ts';
import { readJsonBody } from '../wire/readBody.ts';
import { Refusal } from '../wire/refusal.ts';

export type ControlHandlers = { [K in ControlRoute]: (body: ControlBody<K>) => ControlAnswer<K> | Promise<ControlAnswer<K>> };

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

/** The enroll body is the largest: a certificate per node, under 1 KiB each, for a few thousand nodes at most. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function startControlServer(token: string, handlers: ControlHandlers, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, logError: (message: string) => void): Promise<ControlServer> {
  const expected = Buffer.from(`Bearer ${token}`);
  const authorized = (request: IncomingMessage) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const routes = Object.entries(sandboxControlApi) as [ControlRoute, (typeof sandboxControlApi)[ControlRoute]][];

  async function answer(request: IncomingMessage): Promise<unknown> {
    if (!authorized(request)) throw new Refusal('unauthenticated', 'the control token is missing or wrong');
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    const atPath = routes.filter(([, spec]) => spec.path === path);
    if (atPath.length === 0) throw new Refusal('not_found', `no route ${path}`);
    const found = atPath.find(([, spec]) => spec.method === request.method);
    if (!found) throw new Refusal('method_not_allowed', `${path} takes ${atPath.map(([, spec]) => spec.method).join(', ')}`);
    const [name, spec] = found;
    let body: unknown;
    if ('body' in spec) {
      const parsed = spec.body.safeParse(await readJsonBody(request, MAX_BODY_BYTES, { clock }), { reportInput: true });
      if (!parsed.success) throw new Refusal('malformed', listProblems(zodProblems(parsed.error, 'body')));
      body = parsed.data;
    }
    const handle = handlers[name] as (body: unknown) => unknown;
    return spec.answer.parse(await handle(body));
  }

  const reply = (response: ServerResponse, status: number, json: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(json));
  };

  const server = createServer((request, response) => {
    answer(request).then(
      (json) => reply(response, 200, json),
      (error: unknown) => {
        if (error instanceof Refusal) return reply(response, error.status, { error: error.code, reason: error.message });
        logError((error as Error).message);
        reply(response, 500, { error: 'internal', reason: (error as Error).message });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
