// The server side of a WebSocket connection on a Node HTTP upgrade: the opening handshake, text messages, ping and the closing handshake.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE, createFrameReader, OPCODE } from './frameReader.ts';
import { encodeClose, encodeFrame, encodeText } from './frameWriter.ts';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface WebSocketConnection {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  onMessage(listener: (text: string) => void): void;
  /** Called once, whichever side closed and however. */
  onClose(listener: (code: number) => void): void;
}

export interface AcceptOptions {
  maxMessageBytes?: number;
  /** How long to wait for the peer's close frame after sending ours before dropping the TCP connection (default 1 s). */
  closeGraceMs?: number;
}

/** RFC 6455 §4.2.2: the accept value proves the server read this handshake's key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

/** Why the request is not a WebSocket handshake this server accepts, or null when it is. */
export function handshakeProblem(request: IncomingMessage): string | null {
  const header = (name: string) => String(request.headers[name] ?? '').toLowerCase();
  if (request.method !== 'GET') return 'a WebSocket handshake is a GET';
  if (header('upgrade') !== 'websocket') return 'Upgrade: websocket expected';
  if (!header('connection').split(/\s*,\s*/).includes('upgrade')) return 'Connection: Upgrade expected';
  if (header('sec-websocket-version') !== '13') return 'Sec-WebSocket-Version: 13 expected';
  const key = request.headers['sec-websocket-key'];
  if (typeof key !== 'string' || Buffer.from(key, 'base64').length !== 16) return 'Sec-WebSocket-Key must be 16 bytes in base64';
  return null;
}

/** Writes a plain HTTP refusal on an upgrade socket and closes it. */
export function refuseUpgrade(socket: Duplex, status: number, text: string, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}

/** Completes the handshake (the caller checked `handshakeProblem` and its own authorization first). */
export function acceptWebSocket(request: IncomingMessage, socket: Duplex, head: Buffer, options: AcceptOptions = {}): WebSocketConnection {
  const reader = createFrameReader(options.maxMessageBytes ?? 16 * 1024 * 1024);
  const messageListeners: Array<(text: string) => void> = [];
  const closeListeners: Array<(code: number) => void> = [];
  let closeSent = false;
  let closedWith: number | null = null;

  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(String(request.headers['sec-websocket-key']))}\r\n\r\n`,
  );

  const finish = (code: number) => {
    if (closedWith !== null) return;
    closedWith = code;
    for (const listener of closeListeners) listener(code);
  };
  const close = (code: number = CLOSE.normal, reason = '') => {
    if (closeSent || socket.destroyed) return;
    closeSent = true;
    socket.write(encodeClose(code, reason));
    setTimeout(() => socket.destroy(), options.closeGraceMs ?? 1000).unref();
    finish(code);
  };
  const onData = (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      if (event.type === 'text') for (const listener of messageListeners) listener(event.text);
      else if (event.type === 'ping') socket.write(encodeFrame(OPCODE.pong, event.payload));
      else if (event.type === 'close') {
        // Answer with a code a frame may carry: 1005 only means "none was given".
        close(event.code === CLOSE.noStatus ? CLOSE.normal : event.code);
        socket.end();
      } else if (event.type === 'fail') close(event.code, event.reason);
    }
  };

  socket.on('data', onData);
  // HTTP servers keep half-open sockets; a client that leaves without a close frame must not leave one behind.
  socket.on('end', () => socket.destroy());
  socket.on('close', () => finish(CLOSE.goingAway));
  socket.on('error', () => socket.destroy());
  if (head.length > 0) queueMicrotask(() => onData(head));

  return {
    send(text) {
      if (!closeSent && !socket.destroyed) socket.write(encodeText(text));
    },
    close,
    onMessage: (listener) => messageListeners.push(listener),
    onClose: (listener) => closeListeners.push(listener),
  };
}
