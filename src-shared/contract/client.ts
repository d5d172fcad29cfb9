// Builds the typed client of the contract over any transport: one method per declared call, listed, not proxied.
import type { Api, CallName, EventName, EventPayload } from './contract.ts';
import { callNames } from './contract.ts';
import type { Transport } from './transport.ts';

export interface Client {
  api: Api;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * The outputs are not parsed again here: main parsed them against the contract before sending, and
 * a renderer that re-checked would only duplicate that cost.
 */
export function createClient(transport: Transport): Client {
  const api = {} as Record<CallName, (input: unknown) => Promise<unknown>>;
  for (const name of callNames) api[name] = (input) => transport.call(name, input);
  return {
    api: api as Api,
    on: (event, listener) => transport.on(event, (payload) => listener(payload as never)),
  };
}
