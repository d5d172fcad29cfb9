// What carries the contract: the renderer's Transport, main's Endpoint, and the Reply envelope every transport passes between them.
import { z } from 'zod';

/** Why a call failed as a call (not as a refused change, which is an ordinary result); a schema, since the socket checks replies on arrival. */
export const CallErrorSchema = z.object({
  code: z.enum(['unknown-call', 'bad-input', 'forbidden', 'internal', 'disconnected']),
  message: z.string(),
});
export type CallError = z.infer<typeof CallErrorSchema>;
export type CallErrorCode = CallError['code'];

/**
 * A call's answer as it crosses a transport. Errors travel as data rather than as thrown exceptions
 * because Electron's `ipcRenderer.invoke` flattens a thrown error into an unreadable string.
 */
export type Reply = { ok: true; value: unknown } | { ok: false; error: CallError };

/** The renderer's side: send a call, hear events. Like VS Code's IMessagePassingProtocol or a tRPC terminating link. */
export interface Transport {
  /** Resolves with the call's output or rejects with a `ContractError`. */
  call(name: string, input: unknown): Promise<unknown>;
  /** Returns the function that stops listening. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** Main's side, whatever carries it (IPC, WebSocket, memory): answers calls and publishes events. */
export interface Endpoint {
  dispatch(name: string, input: unknown): Promise<Reply>;
  /** Every event goes to every subscriber; returns the function that unsubscribes. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

/** What the Electron preload exposes as `window.raincoat`: the Endpoint's reply envelope, without the transport. */
export interface Bridge {
  call(name: string, input: unknown): Promise<Reply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export class ContractError extends Error {
  override name = 'ContractError';
  readonly code: CallErrorCode;
  constructor(error: CallError) {
    super(error.message);
    this.code = error.code;
  }
}

/** The output a reply carries, or its error thrown as a `ContractError`. */
export function unwrapReply(reply: Reply): unknown {
  if (reply.ok) return reply.value;
  throw new ContractError(reply.error);
}
