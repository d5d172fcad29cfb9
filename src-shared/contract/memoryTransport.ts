// A transport connected straight to an endpoint in the same process, for tests: what IPC or a socket would carry, without either.
import type { Endpoint, Transport } from './transport.ts';
import { unwrapReply } from './transport.ts';

/**
 * Inputs, outputs and events are structured-cloned on the way, as IPC would, so a test catches a
 * value that could not cross a real transport and a caller that mutates what it got back.
 */
export function memoryTransport(endpoint: Endpoint): Transport {
  return {
    async call(name, input) {
      const reply = await endpoint.dispatch(name, structuredClone(input));
      return unwrapReply(structuredClone(reply));
    },
    on(event, listener) {
      return endpoint.subscribe((name, payload) => {
        if (name === event) listener(structuredClone(payload));
      });
    },
  };
}
