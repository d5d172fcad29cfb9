// An attack kit: many connections to an agent without credentials (bare TCP, or TLS without a client certificate),
// held idle, from several loopback source addresses, bounded in count and in how many are open at once.
import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface ConnectionFloodOptions {
  host: string;
  port: number;
  /** Connections attempted in all. */
  count: number;
  /** Local addresses to connect from, taken in turn (127.x.y.z: all of 127/8 is loopback on Linux). */
  sources: readonly string[];
  /** At most this many attempts in progress or connections held at once (the attacking process has file descriptors too). */
  concurrency: number;
  /** How long a connection is held before the attacker lets it go, unless the agent closes it first; also the connect timeout. */
  holdMs?: number;
  /** Complete a TLS handshake without a client certificate and then idle, instead of sending nothing at all. */
  tls?: boolean;
  /** Ends the attack early: no new attempts, and every held connection is let go. */
  signal?: AbortSignal;
}

export interface ConnectionFloodResult {
  attempted: number;
  /** Connections established (with `tls`: whose handshake completed). */
  opened: number;
  /** Attempts refused or timed out at connect, and connections the agent closed or reset before the attacker let go. */
  refusedOrReset: number;
  /** From the first attempt until the last connection was gone. */
  ms: number;
}

/** Longer than the agent keeps a connection that finishes no handshake (5 s) or sends no request (6 s). */
const DEFAULT_HOLD_MS = 10_000;

/** Attempts `count` connections, `concurrency` at a time; every socket is closed when it resolves, also when aborted. */
export async function attemptConnections(options: ConnectionFloodOptions): Promise<ConnectionFloodResult> {
  const { host, port, count, sources, concurrency, holdMs = DEFAULT_HOLD_MS, tls = false, signal } = options;
  if (sources.length === 0) throw new Error('attemptConnections needs at least one source address');
  const started = performance.now();
  const open = new Set<Socket>();
  let attempted = 0;
  let opened = 0;
  let refusedOrReset = 0;

  const attempt = (source: string) =>
    new Promise<void>((resolve) => {
      const tcp = tcpConnect({ host, port, localAddress: source });
      const socket: Socket = tls ? tlsConnect({ socket: tcp, rejectUnauthorized: false }) : tcp;
      open.add(socket);
      let connected = false;
      let lettingGo = false;
      const letGo = () => {
        lettingGo = true;
        socket.destroy();
      };
      const timer = setTimeout(letGo, holdMs);
      const onAbort = () => letGo();
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        connected = true;
        opened++;
      });
      // Errors are the agent refusing or resetting: counted at close.
      socket.on('error', () => undefined);
      socket.once('close', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        open.delete(socket);
        if (!lettingGo || !connected) refusedOrReset++;
        resolve();
      });
    });

  const worker = async (first: number) => {
    for (let i = first; ; i += concurrency) {
      if (i >= count || signal?.aborted) return;
      attempted++;
      await attempt(sources[i % sources.length]!);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, (_, i) => worker(i)));
  } finally {
    for (const socket of open) socket.destroy();
  }
  return { attempted, opened, refusedOrReset, ms: Math.round(performance.now() - started) };
}

/** `n` loopback source addresses other than 127.0.0.1, where the cluster's agents and the test's own clients are. */
export function loopbackSources(n: number, from = 2): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return `127.0.${k >> 8}.${k & 255}`;
  });
}
