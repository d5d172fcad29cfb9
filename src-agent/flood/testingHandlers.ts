// Test-only endpoints (config `testing: true`): originate a flood on demand and read when each message was handled.
import type { MessageType } from '../../src-shared/protocol/messages.ts';
import type { FloodRouter } from './router.ts';
import type { Sender } from './sender.ts';
import { Refusal } from '../wire/refusal.ts';
import type { RefusalCounter } from '../wire/refusal.ts';
import type { JsonHandler } from '../wire/route.ts';

/** When this process handled each message (epoch ms with sub-millisecond precision), oldest dropped past `capacity`. */
export interface HandledLog {
  record(id: string): void;
  entries(): Record<string, number>;
}

export function createHandledLog(capacity = 10_000): HandledLog {
  const handled = new Map<string, number>();
  return {
    record(id) {
      handled.set(id, performance.timeOrigin + performance.now());
      if (handled.size > capacity) handled.delete(handled.keys().next().value!);
    },
    entries: () => Object.fromEntries(handled),
  };
}

export function testingHandlers(router: FloodRouter, sender: Sender, handled: HandledLog, refusals: RefusalCounter): { testOriginate: JsonHandler<'testOriginate'>; testMetrics: JsonHandler<'testMetrics'> } {
  return {
    testOriginate: {
      handle(_caller, { type, body }) {
        let id: string;
        try {
          id = router.originate(type as MessageType, body as never).id;
        } catch (error) {
          throw new Refusal('malformed', `cannot originate ${type}: ${(error as Error).message}`);
        }
        // The origin "handles" its own message the moment it sends it: the start of the flood's clock.
        handled.record(id);
        return { json: { id } };
      },
    },
    testMetrics: {
      handle: () => ({
        json: { handled: handled.entries(), router: router.stats(), sender: sender.stats(), refusals: refusals.snapshot(), memory: process.memoryUsage() },
      }),
    },
  };
}
