import { describe, expect, it } from 'vitest';
import { createClient } from '../../src-shared/contract/client.ts';
import { memoryTransport } from '../../src-shared/contract/memoryTransport.ts';
import type { Endpoint, Reply } from '../../src-shared/contract/transport.ts';
import { earlyTransport } from './earlyTransport.ts';

/** Main as the page sees it: answers each call with its name and how many calls came so far, publishes events, counts listeners. */
function fakeMain(fails: string[] = []) {
  const asked: string[] = [];
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const endpoint: Endpoint = {
    async dispatch(name): Promise<Reply> {
      asked.push(name);
      return fails.includes(name) ? { ok: false, error: { code: 'internal', message: `${name} failed` } } : { ok: true, value: { name, answer: asked.length } };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    transport: memoryTransport(endpoint),
    asked,
    publish: (event: string, revision: number) => listeners.forEach((l) => l(event, { revision })),
    listening: () => listeners.size,
  };
}

const START = { ask: ['topology.get', 'overlay.get'], keep: ['topology.didChange', 'overlay.didChange'] } as const;

describe('earlyTransport', () => {
  it('asks the start calls at once; the application’s first call of each gets that answer, a later one asks again', async () => {
    const main = fakeMain();
    const client = createClient(earlyTransport(main.transport, START));
    await Promise.resolve();
    expect(main.asked).toEqual(['topology.get', 'overlay.get']);
    expect(await client.api['overlay.get']()).toEqual({ name: 'overlay.get', answer: 2 });
    expect(await client.api['topology.get']()).toEqual({ name: 'topology.get', answer: 1 });
    expect(main.asked).toHaveLength(2);
    expect(await client.api['topology.get']()).toEqual({ name: 'topology.get', answer: 3 });
    expect(await client.api['topology.diff']()).toEqual({ name: 'topology.diff', answer: 4 });
  });

  it('hands the events that came before the application listened to its first listener, in order, then the live ones', () => {
    const main = fakeMain();
    const client = createClient(earlyTransport(main.transport, { ask: [], keep: ['topology.didChange'] }));
    main.publish('topology.didChange', 1);
    main.publish('overlay.didChange', 2);
    main.publish('topology.didChange', 3);
    const topology: unknown[] = [];
    const overlay: unknown[] = [];
    client.on('topology.didChange', (state) => topology.push(state.revision));
    client.on('overlay.didChange', (state) => overlay.push(state.revision));
    main.publish('topology.didChange', 4);
    main.publish('overlay.didChange', 5);
    expect(topology).toEqual([1, 3, 4]);
    expect(overlay).toEqual([5]);
  });

  it('stops keeping once the application listens, and a listener that stops hears no more', () => {
    const main = fakeMain();
    const client = createClient(earlyTransport(main.transport, START));
    main.publish('overlay.didChange', 1);
    expect(main.listening()).toBe(2);
    const first: unknown[] = [];
    const stop = client.on('overlay.didChange', (state) => first.push(state.revision));
    expect(main.listening()).toBe(2);
    main.publish('overlay.didChange', 2);
    stop();
    main.publish('overlay.didChange', 3);
    const second: unknown[] = [];
    client.on('overlay.didChange', (state) => second.push(state.revision));
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([]);
  });

  it('fails the application’s call when the early one failed (and not before it asks)', async () => {
    const main = fakeMain(['overlay.get']);
    const client = createClient(earlyTransport(main.transport, START));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(client.api['overlay.get']()).rejects.toThrow('overlay.get failed');
  });
});
