// Turns core handlers into the Endpoint every transport uses: the contract's schemas checked on the way in and on the way out.
import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../../src-shared/contract/contract.ts';
import { callNames, calls, events, isCallName, isEventName } from '../../../src-shared/contract/contract.ts';
import type { Endpoint, Reply } from '../../../src-shared/contract/transport.ts';
import { formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';

/** What the core implements: one function per call, with the contract's own types. */
export type Handlers = { [K in CallName]: (input: CallInput<K>) => Promise<CallOutput<K>> };

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Core {
  handlers: Handlers;
  /** Starts passing the core's events to `emit`; returns the function that stops. */
  subscribe(emit: Emit): () => void;
}

/** One domain's share of the core (the topology, the overlay): the calls it answers and its events. */
export interface CorePart<K extends CallName> {
  handlers: Pick<Handlers, K>;
  subscribe(emit: Emit): () => void;
}

/** The whole core from its parts; refuses at start a call no part answers or two parts both answer. */
export function combineCores(parts: ReadonlyArray<{ handlers: Partial<Handlers>; subscribe(emit: Emit): () => void }>): Core {
  const handlers: Partial<Record<CallName, unknown>> = {};
  for (const part of parts) {
    for (const name of Object.keys(part.handlers) as CallName[]) {
      if (handlers[name] !== undefined) throw new Error(`two parts of the core answer ${name}`);
      handlers[name] = part.handlers[name];
    }
  }
  const missing = callNames.filter((name) => handlers[name] === undefined);
  if (missing.length > 0) throw new Error(`no part of the core answers ${missing.join(', ')}`);
  return {
    handlers: handlers as Handlers,
    subscribe(emit) {
      const stops = parts.map((part) => part.subscribe(emit));
      return () => stops.forEach((stop) => stop());
    },
  };
}

export interface ServeOptions {
  /** Where a core failure is reported in full; the caller only gets a short message. */
  logError?: (message: string, error: unknown) => void;
}

export function serve(core: Core, options: ServeOptions = {}): Endpoint {
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  return {
    async dispatch(name, input): Promise<Reply> {
      if (!isCallName(name)) return { ok: false, error: { code: 'unknown-call', message: `no call named ${JSON.stringify(name)}` } };
      const declared = calls[name];
      const parsedInput = declared.input.safeParse(input, { reportInput: true });
      if (!parsedInput.success) {
        const problems = zodProblems(parsedInput.error, 'input').map(formatProblem).join('; ');
        return { ok: false, error: { code: 'bad-input', message: `${name}: ${problems}` } };
      }
      let output: unknown;
      try {
        output = await (core.handlers[name] as (input: unknown) => Promise<unknown>)(parsedInput.data);
      } catch (error) {
        logError(`${name} failed`, error);
        return { ok: false, error: { code: 'internal', message: `${name} failed: ${error instanceof Error ? error.message : String(error)}` } };
      }
      const parsedOutput = declared.output.safeParse(output);
      if (!parsedOutput.success) {
        logError(`${name} returned output the contract does not allow`, parsedOutput.error);
        return { ok: false, error: { code: 'internal', message: `${name} returned output the contract does not allow` } };
      }
      return { ok: true, value: parsedOutput.data };
    },
    subscribe(listener) {
      return core.subscribe((event, payload) => {
        const parsed = isEventName(event) ? events[event].safeParse(payload) : undefined;
        if (parsed?.success) listener(event, parsed.data);
        else logError(`event ${event} does not match the contract; not sent`, parsed?.error);
      });
    },
  };
}
