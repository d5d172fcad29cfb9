import { describe, expect, expectTypeOf, it } from 'vitest';
import { bridgeTransport } from './bridgeTransport.ts';
import { createClient } from './client.ts';
import type { TopologyState } from './contract.ts';
import { callNames } from './contract.ts';
import { memoryTransport } from './memoryTransport.ts';
import type { Bridge, Endpoint, Reply } from './transport.ts';
import { ContractError } from './transport.ts';

/** Answers every call with its own name and input, and lets the test publish events. */
function echoEndpoint() {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const endpoint: Endpoint = {
    dispatch: async (name, input): Promise<Reply> =>
      name === 'topology.diff' ? { ok: false, error: { code: 'internal', message: 'boom' } } : { ok: true, value: { name, input } },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { endpoint, publish: (event: string, payload: unknown) => listeners.forEach((l) => l(event, payload)) };
}

describe('createClient', () => {
  it('has exactly one method per declared call, each sending its own name', async () => {
    const { endpoint } = echoEndpoint();
    const client = createClient(memoryTransport(endpoint));
    expect(Object.keys(client.api)).toEqual(callNames);
    expect(await client.api['topology.open']({ path: '/t.json' })).toEqual({ name: 'topology.open', input: { path: '/t.json' } });
    expectTypeOf(client.api['topology.get']).returns.resolves.toEqualTypeOf<TopologyState>();
  });

  it('throws a ContractError for a failed call', async () => {
    const client = createClient(memoryTransport(echoEndpoint().endpoint));
    await expect(client.api['topology.diff']()).rejects.toEqual(new ContractError({ code: 'internal', message: 'boom' }));
  });

  it('hears only the event it asked for', () => {
    const { endpoint, publish } = echoEndpoint();
    const client = createClient(memoryTransport(endpoint));
    const heard: unknown[] = [];
    const stop = client.on('topology.didChange', (state) => heard.push(state.revision));
    publish('topology.didChange', { revision: 4 });
    publish('something.else', { revision: 5 });
    stop();
    publish('topology.didChange', { revision: 6 });
    expect(heard).toEqual([4]);
  });
});

describe('memoryTransport', () => {
  it('copies values both ways, as a real transport would', async () => {
    const kept: unknown[] = [];
    const transport = memoryTransport({
      dispatch: async (_name, input) => (kept.push(input), { ok: true, value: kept }),
      subscribe: () => () => undefined,
    });
    const input = { path: '/x' };
    const output = (await transport.call('topology.open', input)) as unknown[];
    input.path = '/changed';
    output.push('mutated');
    expect(kept).toEqual([{ path: '/x' }]);
  });

  it('refuses what could not cross a real transport', async () => {
    const transport = memoryTransport(echoEndpoint().endpoint);
    await expect(transport.call('topology.save', { topology: () => 1 })).rejects.toThrow();
  });
});

describe('bridgeTransport', () => {
  it('unwraps the bridge’s replies and passes listeners through', async () => {
    const listened: string[] = [];
    const bridge: Bridge = {
      call: async (name) => (name === 'topology.get' ? { ok: true, value: 'state' } : { ok: false, error: { code: 'forbidden', message: 'no' } }),
      on: (event) => (listened.push(event), () => undefined),
    };
    const transport = bridgeTransport(bridge);
    await expect(transport.call('topology.get', undefined)).resolves.toBe('state');
    await expect(transport.call('topology.undo', undefined)).rejects.toMatchObject({ code: 'forbidden' });
    transport.on('topology.didChange', () => undefined);
    expect(listened).toEqual(['topology.didChange']);
  });
});
