// The renderer's transport to the loopback host: calls and events as JSON messages on one WebSocket, with the socket injected.
import type { ServerMessage } from './socketMessages.ts';
import { ServerMessageSchema } from './socketMessages.ts';
import type { Transport } from './transport.ts';
import { ContractError, unwrapReply } from './transport.ts';

/** The part of the WHATWG WebSocket this transport uses; the browser's and Node's global `WebSocket` both fit. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface SocketTransport extends Transport {
  /** Closes the socket; calls still waiting are rejected. */
  close(): void;
}

/**
 * Connects when created and again on the next call after the connection drops; calls waiting when it
 * drops are rejected with code `disconnected`. Event listeners stay registered across reconnections.
 */
export function socketTransport(url: string, openSocket: (url: string) => SocketLike): SocketTransport {
  // The token is in the URL's query; messages name the address without it.
  const shownUrl = url.replace(/\?.*$/, '');
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let connection: Promise<SocketLike> | null = null;

  const receive = (data: unknown) => {
    let message: ServerMessage;
    try {
      message = ServerMessageSchema.parse(JSON.parse(String(data)));
    } catch {
      return;
    }
    if ('id' in message) {
      const call = waiting.get(message.id);
      waiting.delete(message.id);
      try {
        call?.resolve(unwrapReply(message.reply));
      } catch (error) {
        call?.reject(error);
      }
    } else {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  };

  const connect = (): Promise<SocketLike> =>
    (connection ??= new Promise<SocketLike>((resolve, reject) => {
      const socket = openSocket(url);
      let opened = false;
      socket.addEventListener('open', () => {
        opened = true;
        resolve(socket);
      });
      socket.addEventListener('message', (event) => receive(event.data));
      // Every failure ends in 'close' (an 'error' event is always followed by one), so this is the one place to clean up.
      socket.addEventListener('close', () => {
        connection = null;
        const error = new ContractError({ code: 'disconnected', message: `${opened ? 'lost the connection to' : 'cannot connect to'} ${shownUrl}` });
        if (!opened) reject(error);
        for (const call of waiting.values()) call.reject(error);
        waiting.clear();
      });
    }));

  // Swallowed here because the first call reports the same failure to whoever is waiting for an answer.
  connect().catch(() => undefined);

  return {
    async call(name, input) {
      const socket = await connect();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, name, input }));
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {
      connection?.then((socket) => socket.close(1000, 'client closing')).catch(() => undefined);
    },
  };
}
