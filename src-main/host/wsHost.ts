// The loopback host: the contract over a WebSocket (the `ws` package) on 127.0.0.1 (random port, random token), and the built renderer beside it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { ServerMessage } from '../../src-shared/contract/socketMessages.ts';
import { CallMessageSchema, SOCKET_PATH } from '../../src-shared/contract/socketMessages.ts';
import type { Endpoint } from '../../src-shared/contract/transport.ts';
import { rendererHeaders } from '../core/endpoint/staticFiles.ts';
import { serveStaticFiles } from './serveStaticFiles.ts';

/** The largest message a client may send; `ws` closes the connection with 1009 on a longer one, before buffering it. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Close codes this host sends (RFC 6455 §7.4.1). */
const CLOSE = { goingAway: 1001, unsupportedData: 1003, invalidPayload: 1007, policyViolation: 1008 } as const;

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
  // No compression: it buys nothing on loopback and opens the door to compression bombs.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const connections = new Set<Duplex>();
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
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
    // `ws` also takes version 8, whose clients send their origin as Sec-WebSocket-Origin, which the check above does not read.
    if (request.headers['sec-websocket-version'] !== '13') return refuseUpgrade(socket, 400, 'Bad Request', 'Sec-WebSocket-Version: 13 expected\n');
    // `ws` answers any other malformed handshake itself, with 400.
    sockets.handleUpgrade(request, socket, head, (client) => serveConnection(client, options.endpoint));
  });

  return {
    origin,
    url: `${origin}/#token=${encodeURIComponent(token)}`,
    socketUrl,
    token,
    async close() {
      for (const client of sockets.clients) client.close(CLOSE.goingAway, 'host closing');
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections) connection.destroy();
      });
    },
  };
}

/** Writes a plain HTTP refusal on an upgrade socket and closes it. */
function refuseUpgrade(socket: Duplex, status: number, text: string, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}

/** Routes `{id, name, input}` text messages to the endpoint and sends every event on; anything else ends the connection. */
function serveConnection(client: WebSocket, endpoint: Endpoint): void {
  const send = (message: ServerMessage) => {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  };
  const unsubscribe = endpoint.subscribe((event, payload) => send({ event, payload }));
  client.on('close', unsubscribe);
  // A client that breaks the protocol gets its close from `ws`; the error needs a listener only so it is not thrown.
  client.on('error', () => undefined);
  client.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return client.close(CLOSE.unsupportedData, 'text messages only');
    let parsed: ReturnType<typeof CallMessageSchema.safeParse>;
    try {
      parsed = CallMessageSchema.safeParse(JSON.parse(data.toString()));
    } catch {
      return client.close(CLOSE.invalidPayload, 'not JSON');
    }
    if (!parsed.success) return client.close(CLOSE.policyViolation, 'expected {id, name, input}');
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
