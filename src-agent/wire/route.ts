// What the agent's handlers look like: one per route of the API table (src-shared/protocol/agentApi.ts), by its name.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { AgentApi, BodyOf, RouteName } from '../../src-shared/protocol/agentApi.ts';

export interface Caller {
  /** The node name from the verified client certificate, when there is one. */
  node: string | undefined;
  /** The `Authorization: Bearer` token: checked to be a live session on `session` routes, as given on others. */
  bearer: string | undefined;
  address: string;
}

/** What a handler may answer: JSON of the route's answer schema, or bytes (a text answer such as an `.ovpn`). */
export type Reply<K extends RouteName = RouteName> =
  | { status?: number; json: AgentApi[K] extends { answer: z.ZodType } ? z.input<AgentApi[K]['answer']> : never }
  | { status?: number; bytes: Buffer; contentType: string };

export interface JsonHandler<K extends RouteName> {
  /** Only ever sees a body that passed the route's schema (and none on a route without one). */
  handle(caller: Caller, body: BodyOf<K>): Reply<K> | Promise<Reply<K>>;
}

/**
 * A handler for a route of lines (`lines` in the table): it keeps its request open and answers as it reads, so it gets
 * the raw request and response once the caller is let in, and owns them from then on.
 */
export interface StreamHandler {
  stream(caller: Caller, request: IncomingMessage, response: ServerResponse): void;
}

/**
 * A handler that must know when its answer is out (it holds a large buffer until the caller has read it): it gets the
 * body checked as for any route, and the response to write itself.
 */
export interface ResponderHandler<K extends RouteName> {
  respond(caller: Caller, body: BodyOf<K>, request: IncomingMessage, response: ServerResponse): void;
}

/** A route this node does not serve (a leaf, for the roots' routes): refused with the reason before anything is read. */
export interface NotServed {
  notServed: string;
}

export type Handler<K extends RouteName> = AgentApi[K] extends { lines: object } ? StreamHandler : JsonHandler<K> | ResponderHandler<K> | NotServed;

/** Handlers a feature serves, by route name: a path that is not in the table cannot be served. */
export type Handlers = { [K in RouteName]?: Handler<K> };

/** Routes every agent serves; the others (`testing: true`) only agents configured for tests. */
type ProductRoute = { [K in RouteName]: AgentApi[K] extends { testing: true } ? never : K }[RouteName];

/** A handler for every route of the table: what the agent composes, so that a route left out fails to compile. */
export type AllHandlers = { [K in ProductRoute]: Handler<K> } & { [K in Exclude<RouteName, ProductRoute>]?: Handler<K> };
