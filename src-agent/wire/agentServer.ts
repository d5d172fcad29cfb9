// The agent's HTTPS server: the API table's routes with their handlers, TLS with the control CA, guarded connections
// (serverConnections.ts), access checks before any body is read, bounded schema-checked bodies and bounded refusals.
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { zodProblems } from '../../src-shared/validation/zodProblems.ts';
import { agentApi, SESSION_TOKEN } from '../../src-shared/protocol/agentApi.ts';
import type { Access, BodyLimit, RouteName, RouteSpec } from '../../src-shared/protocol/agentApi.ts';
import type { Clock } from '../clock.ts';
import type { ConnectionLimits } from './connectionGuard.ts';
import { readBody, readJsonBody } from './readBody.ts';
import { Refusal } from './refusal.ts';
import type { RefusalCounter } from './refusal.ts';
import { boundReason, listProblems } from './refusalReason.ts';
import type { Caller, Handlers, JsonHandler, NotServed, Reply, ResponderHandler, StreamHandler } from './route.ts';
import { serverConnections } from './serverConnections.ts';

export interface AgentServerOptions {
  keyPem: string;
  certPem: string;
  caPem: string;
  /** One for every route of the table (testing routes only with `testing`): a route without one is a startup error. */
  handlers: Handlers;
  limits: Record<BodyLimit, number>;
  /** Serve the table's testing routes too (agents configured with `testing: true`). */
  testing: boolean;
  isNeighbour(node: string): boolean;
  /** True when the token is a live administrator session at this node. */
  isSession(token: string): boolean;
  refusals: RefusalCounter;
  /** Caps on connections (see connectionGuard.ts). */
  connections: ConnectionLimits;
  /** Times the reading of every body (see readBody.ts) and the connections' deadlines. */
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout' | 'setInterval'>;
  /** Internal errors only; refusals are counted, not logged, so a flood of junk cannot fill a disk. */
  logError(message: string): void;
}

export interface AgentServer {
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
  /** Serves new connections with a renewed identity certificate (for the same key); open ones keep theirs. */
  replaceCertificate(certPem: string): void;
}

interface Served {
  spec: RouteSpec;
  handler: JsonHandler<RouteName> | ResponderHandler<RouteName> | StreamHandler | NotServed;
}

/** The body as the route's schema checks it, or the refusal that lists its first problems. */
export function checkedBody(spec: RouteSpec, raw: unknown): unknown {
  const parsed = spec.body!.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new Refusal('malformed', listProblems(zodProblems(parsed.error, 'body')));
  return parsed.data;
}

/** The table's routes with their handlers, by path and method; throws for a route left without one, or a name not in the table. */
export function bindHandlers(handlers: Handlers, testing: boolean): Map<string, Map<string, Served>> {
  const unknown = Object.keys(handlers).filter((name) => !Object.hasOwn(agentApi, name));
  if (unknown.length) throw new Error(`handlers for routes not in the API table: ${unknown.join(', ')}`);
  const table = new Map<string, Map<string, Served>>();
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(agentApi) as [RouteName, RouteSpec][]) {
    if (spec.testing && !testing) continue;
    const handler = handlers[name] as Served['handler'] | undefined;
    if (!handler) {
      missing.push(`${name} (${spec.method} ${spec.path})`);
      continue;
    }
    const byMethod = table.get(spec.path) ?? new Map<string, Served>();
    byMethod.set(spec.method, { spec, handler });
    table.set(spec.path, byMethod);
  }
  if (missing.length) throw new Error(`no handler for ${missing.join(', ')}`);
  return table;
}

export function createAgentServer(options: AgentServerOptions): AgentServer {
  const table = bindHandlers(options.handlers, options.testing);
  // A connection turned away by the guard, or one whose handshake failed or timed out, is a refusal of someone unauthenticated.
  const unauthenticated = () => options.refusals.count('unauthenticated');
  const connections = serverConnections({
    limits: options.connections,
    // An uncertified connection may idle as long as a kept-alive one (plus the second Node adds to what it advertises),
    // also before its first request, for which Node sets no deadline at all.
    timeouts: { handshakeMs: HANDSHAKE_TIMEOUT_MS, idleMs: KEEP_ALIVE_MS + 1_000 },
    clock: options.clock,
    nodeOf: peerNodeName,
    onTurnedAway: unauthenticated,
  });
  const server: Server = createServer(
    {
      key: options.keyPem,
      cert: options.certPem,
      ca: options.caPem,
      // Client certificates are asked for on every connection but checked per route: the application and client VMs
      // have none, and a peer whose certificate fails gets a 401 with the reason instead of a silent handshake failure.
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      ciphers: TLS_CIPHERS,
      // Node's default is 120 s; a peer's handshake takes a few round trips. This one restarts with each byte the peer
      // sends; the connection guard's deadline does not.
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_MS,
      blockList: connections.blockList,
    },
    (request, response) => {
      void serve(request, response).catch((error: unknown) => {
        options.logError(`request ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) send(response, 500, { json: { error: 'internal', reason: 'internal error' } });
        else response.destroy();
      });
    },
  );
  // Slow or stalled senders must not hold the agent: bounded header time, and every body is read against a deadline
  // (readBody). Node's own whole-request timeout stays off, since a neighbour's flood stream is one request that lasts.
  server.headersTimeout = 10_000;
  server.requestTimeout = 0;
  server.maxHeadersCount = 64;
  server.on('tlsClientError', unauthenticated);
  connections.attach(server);

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let reply: Reply | undefined;
    try {
      reply = await dispatch(request, response);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      options.refusals.count(error.code);
      // After a refused body the rest of it is not worth reading: close instead of draining it.
      if (!request.complete) response.setHeader('connection', 'close');
      // Every refusal of a request goes out here, so this is where its reason is bounded: some repeat what was sent.
      send(response, error.status, { json: { error: error.code, reason: boundReason(error.message) } });
      return;
    }
    // A stream or responder handler has answered (or goes on answering) by itself.
    if (reply) send(response, reply.status ?? 200, reply);
  }

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<Reply | undefined> {
    const path = (request.url ?? '/').split('?')[0]!;
    const byMethod = table.get(path);
    if (!byMethod) throw new Refusal('not_found', `no endpoint ${path}`);
    const served = byMethod.get(request.method ?? '');
    if (!served) throw new Refusal('method_not_allowed', `${path} takes ${[...byMethod.keys()].join(', ')}`);
    const { spec, handler } = served;
    // Before the caller is checked or a byte of the body read: this node has nothing to do with it.
    if ('notServed' in handler) throw new Refusal('not_found', handler.notServed);
    const caller = authenticate(request, spec.access);
    if ('stream' in handler) {
      handler.stream(caller, request, response);
      return undefined;
    }
    let body: unknown;
    if (spec.body) {
      body = checkedBody(spec, await readJsonBody(request, options.limits[spec.limit ?? 'message'], { clock: options.clock }));
    } else {
      // An endpoint without a body schema takes none (logout, a GET): whatever comes is read to a small bound and ignored.
      await readBody(request, 1024, { clock: options.clock });
    }
    if ('respond' in handler) {
      handler.respond(caller, body as never, request, response);
      return undefined;
    }
    return handler.handle(caller, body as never);
  }

  function authenticate(request: IncomingMessage, accepted: readonly Access[]): Caller {
    let first: Refusal | undefined;
    for (const access of accepted) {
      try {
        return authenticateAs(request, access);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        first ??= error;
      }
    }
    throw first ?? new Refusal('forbidden', 'nobody may call this endpoint');
  }

  function authenticateAs(request: IncomingMessage, access: Access): Caller {
    const socket = request.socket as TLSSocket;
    const address = socket.remoteAddress ?? '';
    const node = socket.authorized ? peerNodeName(socket) : undefined;
    const bearer = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (access === 'public' || access === 'enrollment') return { node, bearer, address };
    if (access === 'session') {
      if (bearer === undefined) throw new Refusal('unauthenticated', 'expected an Authorization: Bearer <session token> header');
      if (!options.isSession(bearer)) throw new Refusal('unauthenticated', 'the session token is not a live session at this node (log in again)');
      return { node, bearer, address };
    }
    if (!socket.authorized) {
      const why = socket.getPeerCertificate()?.subject ? String(socket.authorizationError) : 'none was presented';
      throw new Refusal('unauthenticated', `a control-CA client certificate is required (${why})`);
    }
    if (node === undefined) throw new Refusal('unknown_peer', 'the client certificate names no node');
    if (access === 'neighbour' && !options.isNeighbour(node)) throw new Refusal('unknown_peer', `${node} is not a neighbour of this node`);
    return { node, bearer: undefined, address };
  }

  return {
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    replaceCertificate(certPem) {
      server.setSecureContext({ key: options.keyPem, cert: certPem, ca: options.caPem, minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS });
    },
    close: () =>
      new Promise((resolve) => {
        connections.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * TLS 1.3's suites (all AEAD) and TLS 1.2's AEAD suites with forward secrecy: no CBC, no SHA-1 MAC. An agent's identity
 * key is always P-256 (identityStore.ts), hence ECDSA only. The agent's clients (neighbours, the application, client VMs'
 * curl) all speak TLS 1.3, or TLS 1.2 with one of these.
 */
const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
].join(':');

/**
 * Connections the kernel may complete before the agent accepts them (held to net.core.somaxconn, 4096 on current Linux).
 * Node's 511 overflowed under 2,000 connections at once: the kernel then drops what completes a connection, and
 * neighbours' and the administrator's connections waited a second or more for a retry like everyone's.
 */
const LISTEN_BACKLOG = 4096;

/** From accept to a finished TLS handshake. */
const HANDSHAKE_TIMEOUT_MS = 5_000;
/**
 * How long a connection idles between requests before the agent closes it (Node's default; this server had 120 s, and
 * each idle TLS connection holds about 61 KiB). Node clients (neighbours, the application) close theirs a second earlier,
 * by the keep-alive timeout the server advertises.
 */
const KEEP_ALIVE_MS = 5_000;

const BEARER = new RegExp(`^Bearer (${SESSION_TOKEN})$`);

/** Per connection: reading the peer's certificate builds a large object, and a kept-alive peer sends many requests. */
const peerNames = new WeakMap<TLSSocket, string | undefined>();

function peerNodeName(socket: TLSSocket): string | undefined {
  if (!peerNames.has(socket)) {
    const cn = socket.getPeerCertificate()?.subject?.CN;
    peerNames.set(socket, typeof cn === 'string' ? cn : undefined);
  }
  return peerNames.get(socket);
}

/** An answer on its way out: a handler's reply or a refusal. */
type Answer = { json: unknown } | { bytes: Buffer; contentType: string };

function send(response: ServerResponse, status: number, reply: Answer): void {
  const payload = 'bytes' in reply ? reply.bytes : Buffer.from(JSON.stringify(reply.json));
  response.writeHead(status, { 'content-type': 'bytes' in reply ? reply.contentType : 'application/json', 'content-length': payload.length });
  response.end(payload);
}
