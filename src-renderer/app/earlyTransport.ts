// The transport as the page starts, before the application's code has loaded: the calls every start makes are asked at
// once and the events that come meanwhile are kept, so that main works while the browser reads the application (and
// builds the contract's schemas: this needs none of them); the application, once loaded, gets those answers and events
// as if it had asked and listened from the start.
import type { EventName } from '../../src-shared/contract/contract.ts';
import type { Transport } from '../../src-shared/contract/transport.ts';

/** The calls a start makes, with no input. */
export type StartCall = 'topology.get' | 'overlay.get';

export interface EarlyStart {
  /** Asked at once; the application's first call of each gets that answer, a later one asks again. */
  ask: readonly StartCall[];
  /** Kept from now until the application listens to them, then handed to its first listener in the order they came. */
  keep: readonly EventName[];
}

export function earlyTransport(transport: Transport, { ask, keep }: EarlyStart): Transport {
  const answers = new Map<string, Promise<unknown>>();
  for (const name of ask) {
    const answer = transport.call(name, undefined);
    // Nobody waits on the answer until the application asks for it: a failure then is no unhandled rejection.
    answer.catch(() => undefined);
    answers.set(name, answer);
  }
  const kept = new Map<string, { payloads: unknown[]; stop: () => void }>();
  for (const event of keep) {
    const payloads: unknown[] = [];
    kept.set(event, { payloads, stop: transport.on(event, (payload) => payloads.push(payload)) });
  }
  return {
    call(name, input) {
      const answer = answers.get(name);
      answers.delete(name);
      return answer ?? transport.call(name, input);
    },
    // The application's first listener of a kept event takes over: the kept payloads first, then the transport's own.
    on(event, listener) {
      const early = kept.get(event);
      kept.delete(event);
      early?.stop();
      for (const payload of early?.payloads ?? []) listener(payload);
      return transport.on(event, listener);
    },
  };
}
