// One HTTPS endpoint of the agent: who may call it, the schema its body must match, and what it does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/**
 * - `neighbour`: mutual TLS with a control-CA certificate whose node name is one of this node's neighbours;
 * - `node`: mutual TLS with any control-CA certificate (a neighbour, the node's own CLI, a test harness);
 * - `session`: the application, with a session token from login (`Authorization: Bearer …`);
 * - `public`: anyone; such a route authenticates by what its body carries (client enrollment's token).
 */
export type Access = 'neighbour' | 'node' | 'session' | 'public';

export interface Caller {
  /** The node name from the verified client certificate, when there is one. */
  node: string | undefined;
  /** The `Authorization: Bearer` token: checked to be a live session on `session` routes, as given on others. */
  bearer: string | undefined;
  address: string;
}

export type Reply = { status?: number; json: unknown } | { status?: number; bytes: Buffer; contentType: string };

export interface Route<Body = unknown> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** Who may call: any one of these suffices. */
  access: readonly Access[];
  /** The body's schema (a JSON body is then required); the handler only ever sees a body that passed it. */
  body?: z.ZodType<Body>;
  /** Overrides the server's default body limit (a deploy package is larger than a flood message). */
  maxBytes?: number;
  handle(caller: Caller, body: Body): Reply | Promise<Reply>;
}

/**
 * An endpoint that keeps its request open and answers as it reads (a stream of lines both ways): it gets the raw
 * request and response once the caller is let in, and owns them from then on.
 */
export interface StreamRoute {
  method: 'POST';
  path: string;
  access: readonly Access[];
  stream(caller: Caller, request: IncomingMessage, response: ServerResponse): void;
}

/** Keeps the handler's body type tied to the schema while routes of different bodies share one array. */
export function route<Body>(definition: Route<Body>): Route {
  return definition as unknown as Route;
}
