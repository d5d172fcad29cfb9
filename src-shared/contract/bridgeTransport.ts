// The renderer's transport inside Electron: the preload's `window.raincoat` bridge, with its reply envelopes unwrapped.
import type { Bridge, Transport } from './transport.ts';
import { unwrapReply } from './transport.ts';

export function bridgeTransport(bridge: Bridge): Transport {
  return {
    call: async (name, input) => unwrapReply(await bridge.call(name, input)),
    on: (event, listener) => bridge.on(event, listener),
  };
}
