// Many flood routers joined by an in-memory transport: the router's tests and the 5,000-node simulation run on it.
import { createHmac } from 'node:crypto';
import { canonicalMessageBytes } from '../../src-shared/protocol/messages.ts';
import type { FloodMessage, UnsignedFloodMessage } from '../../src-shared/protocol/messages.ts';
import { createFloodRouter } from './router.ts';
import type { FloodRouter, FloodRouterOptions } from './router.ts';
import { createSeqCounter } from './seqCounter.ts';

/**
 * A keyed hash in the signature's place (64 bytes, like P-256's): tampering is still caught, at a fraction of ECDSA's
 * cost. Only for simulations; real agents sign with flood/messageSignature.ts.
 */
export function simulatedSignature(message: UnsignedFloodMessage | FloodMessage): string {
  const half = createHmac('sha256', message.origin).update(canonicalMessageBytes(message)).digest();
  return Buffer.concat([half, half]).toString('base64url');
}

export interface MemoryNetworkOptions {
  neighbours: ReadonlyMap<string, readonly string[]>;
  now: () => number;
  /** Told of every message a node accepts. */
  handle?: (node: string, message: FloodMessage, from: string | null) => void;
  router?: Partial<Pick<FloodRouterOptions, 'maxAgeMs' | 'skewMs' | 'shouldSend'>>;
}

export interface MemoryNetwork {
  router(node: string): FloodRouter;
  /** A down node loses everything sent to it. */
  setDown(node: string, down: boolean): void;
  /**
   * Delivers what is in flight until nothing is left, in the order it was sent or, given `random`, in a random
   * order (any interleaving a real network could produce); returns how many it delivered.
   */
  deliverAll(random?: () => number): number;
  /** Messages handed to the transport so far (to down nodes included). */
  readonly sent: number;
}

export function createMemoryNetwork(options: MemoryNetworkOptions): MemoryNetwork {
  const { neighbours, now, handle } = options;
  const inFlight: { from: string; to: string; message: FloodMessage }[] = [];
  const down = new Set<string>();
  let sent = 0;
  const routers = new Map<string, FloodRouter>();
  for (const node of neighbours.keys()) {
    let stored: number | undefined;
    const seq = createSeqCounter({ load: () => stored, save: (n) => (stored = n) });
    routers.set(
      node,
      createFloodRouter({
        ...options.router,
        self: node,
        neighbours: () => neighbours.get(node) ?? [],
        verify: (message) => message.sig === simulatedSignature(message),
        sign: simulatedSignature,
        nextSeq: () => seq.next(),
        now,
        handle: (message, from) => handle?.(node, message, from),
        send: (to, message) => {
          sent++;
          inFlight.push({ from: node, to, message });
        },
      }),
    );
  }
  return {
    router(node) {
      const router = routers.get(node);
      if (router === undefined) throw new Error(`no node ${node} in this network`);
      return router;
    },
    setDown(node, isDown) {
      if (isDown) down.add(node);
      else down.delete(node);
    },
    deliverAll(random) {
      let delivered = 0;
      // An index rather than shift(): a flood across thousands of nodes queues thousands of messages.
      for (let i = 0; i < inFlight.length; i++) {
        if (random !== undefined) {
          const j = i + Math.floor(random() * (inFlight.length - i));
          [inFlight[i], inFlight[j]] = [inFlight[j]!, inFlight[i]!];
        }
        const { from, to, message } = inFlight[i]!;
        if (down.has(to)) continue;
        routers.get(to)?.receive(from, message);
        delivered++;
      }
      inFlight.length = 0;
      return delivered;
    },
    get sent() {
      return sent;
    },
  };
}
