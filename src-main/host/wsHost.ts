// The loopback host: the contract over a WebSocket on 127.0.0.1 (random port, random token), and the built renderer beside it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ServerMessage } from '../../src-shared/contract/socketMessages.ts';
import { CallMessageSchema, SOCKET_PATH } from '../../src-shared/contract/socketMessages.ts';
import type { Endpoint } from '../../src-shared/contract/transport.ts';
import { rendererHeaders, serveStaticFiles } from './staticFiles.ts';
import { CLOSE } from './webSocket/frameReader.ts';
import type { WebSocketConnection } from './webSocket/acceptWebSocket.ts';
import { acceptWebSocket, handshakeProblem, refuseUpgrade } from './webSocket/acceptWebSocket.ts';

export interface WsHostOptions {
  endpoint: Endpoint;
  /** The built renderer (`dist/renderer`). */
  staticFolder: string;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** Generated when absent. */
  token?: string;
}

export interface WsHost {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** What to open in a browser: the origin with the token in the fragment, which the browser never sends to a server. */
  url: string;
  /** `ws://127.0.0.1:<port>/contract?token=…`: what a client connects to. */
  socketUrl: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Who may talk to the host: only a client that knows the token (printed once, to whoever started it).
 * The Host header is checked too, so a web page that rebinds its own DNS name to 127.0.0.1 is refused
 * even before the token, and a browser's Origin, when sent, must be the host's own.
 */
export async function startWsHost(options: WsHostOptions): Promise<WsHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const server = createServer();
  const connections = new Set<WebSocketConnection>();
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const expectedHost = `127.0.0.1:${port}`;
  const socketUrl = `ws://${expectedHost}${SOCKET_PATH}?token=${encodeURIComponent(token)}`;

  const staticFiles = serveStaticFiles(options.staticFolder, rendererHeaders(`ws://${expectedHost}`));
  server.on('request', (request, response) => {
    if (request.headers.host !== expectedHost) {
      response.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('wrong Host\n');
      return;
    }
    void staticFiles(request, response);
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== SOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found', 'no such socket\n');
    if (request.headers.host !== expectedHost) return refuseUpgrade(socket, 421, 'Misdirected Request', 'wrong Host\n');
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return refuseUpgrade(socket, 403, 'Forbidden', 'foreign Origin\n');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuseUpgrade(socket, 401, 'Unauthorized', 'token required\n');
    const problem = handshakeProblem(request);
    if (problem) return refuseUpgrade(socket, 400, 'Bad Request', `${problem}\n`);
    const connection = acceptWebSocket(request, socket, head);
    connections.add(connection);
    serveConnection(connection, options.endpoint);
    connection.onClose(() => connections.delete(connection));
  });

  return {
    origin,
    url: `${origin}/#token=${encodeURIComponent(token)}`,
    socketUrl,
    token,
    async close() {
      for (const connection of connections) connection.close(CLOSE.goingAway, 'host closing');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** Routes `{id, name, input}` messages to the endpoint and sends every event on; a malformed message ends the connection. */
function serveConnection(connection: WebSocketConnection, endpoint: Endpoint): void {
  const send = (message: ServerMessage) => connection.send(JSON.stringify(message));
  const unsubscribe = endpoint.subscribe((event, payload) => send({ event, payload }));
  connection.onClose(unsubscribe);
  connection.onMessage((text) => {
    let parsed: ReturnType<typeof CallMessageSchema.safeParse>;
    try {
      parsed = CallMessageSchema.safeParse(JSON.parse(text));
    } catch {
      return connection.close(CLOSE.invalidPayload, 'not JSON');
    }
    if (!parsed.success) return connection.close(CLOSE.policyViolation, 'expected {id, name, input}');
    const { id, name, input } = parsed.data;
    void endpoint
      .dispatch(name, input)
      .catch((error: unknown) => ({ ok: false, error: { code: 'internal', message: String(error) } }) as const)
      .then((reply) => send({ id, reply }));
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
