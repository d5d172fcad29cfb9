// Applies the connection guard (connectionGuard.ts) to the agent's HTTPS server: an address past its share is turned
// away at accept, each other socket is admitted or closed, its TLS handshake and its requests are reported, and a sweep
// closes handshakes and idle connections that are past their deadlines.
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList } from 'node:net';
import type { IPVersion, Socket, SocketAddress } from 'node:net';
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
  /** A connection turned away at accept, which Node reports nowhere else. */
  onTurnedAway(): void;
}

export interface ServerConnections {
  /** For the server's options: Node consults it for each connection before it builds a socket for it. */
  blockList: BlockList;
  /** Starts guarding the server made with `blockList`. */
  attach(server: Server): void;
  stop(): void;
}

/**
 * A block list whose answer is the guard's: Node asks it at accept, and a connection it turns away costs a closed file
 * descriptor, not a socket and a TLS session built only to be destroyed (that cost 0.5 ms each, and 2,000 of them at once
 * held everyone else's connections back a second).
 */
class FullAddresses extends BlockList {
  readonly #turnAway: (address: string) => boolean;
  constructor(turnAway: (address: string) => boolean) {
    super();
    this.#turnAway = turnAway;
  }
  override check(address: string | SocketAddress, _family?: IPVersion): boolean {
    return this.#turnAway(typeof address === 'string' ? address : address.address);
  }
}

export function serverConnections(options: ServerConnectionsOptions): ServerConnections {
  const { clock } = options;
  const guard = new ConnectionGuard<Socket>(options.limits, options.timeouts);
  const blockList = new FullAddresses((address) => {
    if (!guard.isFull(address)) return false;
    options.onTurnedAway();
    return true;
  });
  // The guard counts the accepted TCP sockets; the TLS socket Node wraps around each is known by the same peer address
  // and port once its handshake is done, and by itself from then on.
  const handshaking = new Map<string, Socket>();
  const tcpOf = new WeakMap<TLSSocket, Socket>();
  const peer = (socket: Socket) => `${socket.remoteAddress}:${socket.remotePort}`;
  let sweep: ReturnType<Clock['setInterval']> | undefined;

  const attach = (server: Server) => {
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
    sweep = clock.setInterval(() => {
      for (const socket of guard.expired(clock.now())) socket.destroy();
    }, SWEEP_MS);
  };
  return {
    blockList,
    attach,
    stop: () => {
      if (sweep !== undefined) clock.clearTimeout(sweep);
    },
  };
}
