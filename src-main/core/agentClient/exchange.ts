// What the agent client's pure parts and its transport hand each other: a request to make, and how it went.

/** One HTTP request, ready to send: the transport adds only the content length and the connection. */
export interface AgentRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  payload?: Buffer;
}

/**
 * How far a failed request got, which decides whether it may be repeated: `connect` (nothing reached the agent),
 * `identity` (the other end is not the agent we meant, or not certified by the control CA: repeating changes nothing),
 * `exchange` (the request may have reached the agent).
 */
export type FailedStage = 'connect' | 'identity' | 'exchange';

export type Exchange =
  | { answered: true; status: number; contentType: string; body: Buffer }
  | { answered: false; code: 'unreachable' | 'timeout' | 'bad_answer'; stage: FailedStage; reason: string };

export interface AgentTransport {
  send(request: AgentRequest): Promise<Exchange>;
  close(): void;
}
