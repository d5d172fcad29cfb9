// Asks neighbours for something (a deploy package, the administrator's state): one neighbour one request, or in turn,
// round and round (the one that told this node first, then the others), waiting on the clock between attempts, until
// one gives it or the attempts (and the time it is of use) run out.
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import type { BodyIn, RouteName } from '../../src-shared/protocol/agentApi.ts';
import type { Clock } from '../clock.ts';
import type { PeerClient, PeerTarget } from './peerClient.ts';

/** Who is asked, attempt after attempt (round and round): the neighbour that passed the announcement on first. */
export function askOrder(from: string | null, neighbours: readonly string[]): string[] {
  return [...new Set([...(from ? [from] : []), ...neighbours])];
}

export interface NeighbourAsker {
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
}

/** What `node` answers to route `name` (at most `maxBytes`); throws why there is no answer (no address, a refusal). */
export async function askNeighbour<K extends RouteName>(asker: NeighbourAsker, node: string, name: K, body: BodyIn<K>, maxBytes: number): Promise<Buffer> {
  const target = asker.targetOf(node);
  if (!target) throw new Error(`${node} is not a neighbour with an address`);
  const { method, path } = agentApi[name];
  const response = await asker.client.request(target, method, path, body, maxBytes);
  if (response.status !== 200) throw new Error(`${node} answered ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
  return response.body;
}

export interface AskInTurnOptions {
  clock: Pick<Clock, 'sleep' | 'now'>;
  /** The wait after each failed attempt, at most. */
  retryMs: number;
  /**
   * The wait after the first failed attempt, doubled after each one up to `retryMs` (default: `retryMs` from the first):
   * what a neighbour lacks a moment ago, or was too busy to send, it often has or sends a moment later.
   */
  firstRetryMs?: number;
  /** At least this many attempts, */
  attempts: number;
  /**
   * and more while another would start before this time (epoch ms): what is asked for is of use until then. A busy
   * overlay (every neighbour serving others) must not make a node give up a deploy the others still carry out.
   */
  until?: number;
}

/** `ask` gives what one neighbour answered, or throws why it did not; the last failure is what is reported. */
export async function askInTurn<T>(order: readonly string[], ask: (node: string) => Promise<T>, options: AskInTurnOptions): Promise<{ value: T } | { failed: string }> {
  const { clock, retryMs, attempts, until } = options;
  const waitAfter = (made: number) => Math.min(retryMs, (options.firstRetryMs ?? retryMs) * 2 ** (made - 1));
  const another = (made: number) => made < attempts || (until !== undefined && clock.now() + waitAfter(made) < until);
  let lastError = 'no neighbour to fetch it from';
  for (let attempt = 0; order.length > 0 && attempts > 0; attempt++) {
    try {
      return { value: await ask(order[attempt % order.length]!) };
    } catch (error) {
      lastError = (error as Error).message;
      // No wait after the last attempt: the failure is reported at once (a fetch slot freed).
      if (!another(attempt + 1)) break;
      await clock.sleep(waitAfter(attempt + 1));
    }
  }
  return { failed: lastError };
}
