// Applies the connection guard (connectionGuard.ts) to the agent's HTTPS server: each accepted socket is admitted or
// closed, its TLS handshake and its requests are reported, and a sweep closes handshakes and idle connections that
// are past their deadlines.
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Clock } from '../clock.ts';
import { ConnectionGuard } from './connectionGuard.ts';
import type { ConnectionLimits, ConnectionTimeouts } from './connectionGuard.ts';

/** How often deadlines are checked: a deadline may be overrun by this much. */
export const SWEEP_MS = 1_000;

export interface ServerConnectionsOptions {
  limits: ConnectionLimits;
  timeouts: ConnectionTimeouts;
  clock: Pick<Clock, 'now' | 'setInterval' | 'clearTimeout'>;
  /** The node a verified client certificate names. */
  nodeOf(socket: TLSSocket): string | undefined;
}

export function guardConnections(server: Server, options: ServerConnectionsOptions): { stop(): void } {
  const { clock } = options;
  const guard = new ConnectionGuard<Socket>(options.limits, options.timeouts);
  // The guard counts the accepted TCP sockets; the TLS socket Node wraps around each is known by the same peer address
  // and port once its handshake is done, and by itself from then on.
  const handshaking = new Map<string, Socket>();
  const tcpOf = new WeakMap<TLSSocket, Socket>();
  const peer = (socket: Socket) => `${socket.remoteAddress}:${socket.remotePort}`;

  server.on('connection', (socket: Socket) => {
    const { admitted, evicted } = guard.admit(socket, socket.remoteAddress ?? '', clock.now());
    for (const victim of evicted) victim.destroy();
    if (!admitted) {
      socket.destroy();
      return;
    }
    const key = peer(socket);
    handshaking.set(key, socket);
    socket.once('close', () => {
      guard.closed(socket);
      if (handshaking.get(key) === socket) handshaking.delete(key);
    });
  });
  server.on('secureConnection', (tls: TLSSocket) => {
    const key = peer(tls);
    const socket = handshaking.get(key);
    handshaking.delete(key);
    if (socket === undefined || !guard.handshaken(socket, tls.authorized ? options.nodeOf(tls) : undefined, clock.now())) {
      tls.destroy();
      return;
    }
    tcpOf.set(tls, socket);
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = tcpOf.get(request.socket as TLSSocket);
    if (socket === undefined) return;
    guard.requestStarted(socket);
    response.once('close', () => guard.requestEnded(socket, clock.now()));
  });
  const sweep = clock.setInterval(() => {
    for (const socket of guard.expired(clock.now())) socket.destroy();
  }, SWEEP_MS);
  return { stop: () => clock.clearTimeout(sweep) };
}
