// The messages the contract travels in over the loopback WebSocket: calls with ids, replies to them, and events.
import { z } from 'zod';
import { CallErrorSchema } from './transport.ts';

/** Where a client opens the socket on the loopback host; the token rides in the query (`?token=`) because browsers cannot set headers on a WebSocket. */
export const SOCKET_PATH = '/contract';

/** Renderer → main. `id` pairs the reply with its call; `input` is absent for calls without one. */
export const CallMessageSchema = z.object({ id: z.number().int().nonnegative(), name: z.string(), input: z.unknown().optional() });

export const ReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: CallErrorSchema }),
]);

/** Main → renderer: either the reply to call `id`, or an event. */
export const ServerMessageSchema = z.union([
  z.object({ id: z.number().int().nonnegative(), reply: ReplySchema }),
  z.object({ event: z.string(), payload: z.unknown() }),
]);

export type ServerMessage = z.output<typeof ServerMessageSchema>;
