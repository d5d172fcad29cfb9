// Test helpers: frames as a WebSocket client sends them, and a raw client that speaks the handshake by hand.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { encodeFrame } from './frameWriter.ts';

/** A frame as a client sends it: masked with a fixed key unless told otherwise. */
export function clientFrame(opcode: number, payload: Buffer | string, options: { fin?: boolean; masked?: boolean; rsv?: number } = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const { fin = true, masked = true, rsv = 0 } = options;
  const headerLength = body.length < 126 ? 2 : body.length < 65536 ? 4 : 10;
  const header = Buffer.from(encodeFrame(opcode, body).subarray(0, headerLength));
  header[0] = (fin ? 0x80 : 0) | rsv | opcode;
  if (!masked) return Buffer.concat([header, body]);
  header[1] = header[1]! | 0x80;
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  return Buffer.concat([header, key, Buffer.from(body.map((b, i) => b ^ key[i & 3]!))]);
}

export interface RawClient {
  socket: Socket;
  /** The HTTP status line and headers the server answered the handshake with. */
  head: string;
  /** Bytes after the handshake answer, as they keep arriving. */
  received(): Buffer;
  /** Resolves when the server has closed the TCP connection. */
  ended: Promise<void>;
}

/** Opens a TCP connection, sends an upgrade request with `headers` (and `firstBytes` in the same write), and waits for the server's answer. */
export async function rawUpgrade(port: number, path: string, headers: Record<string, string>, firstBytes: Buffer = Buffer.alloc(0)): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  let bytes = Buffer.alloc(0);
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (chunk) => (bytes = Buffer.concat([bytes, chunk])));
  socket.on('error', () => undefined);
  const lines = [`GET ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
  socket.write(Buffer.concat([Buffer.from(lines.join('\r\n')), firstBytes]));
  const end = await new Promise<number>((resolve, reject) => {
    const check = () => {
      const at = bytes.indexOf('\r\n\r\n');
      if (at >= 0) resolve(at + 4);
    };
    socket.on('data', check);
    socket.on('close', () => reject(new Error(`closed before answering: ${bytes.toString()}`)));
  });
  const head = bytes.subarray(0, end).toString();
  bytes = bytes.subarray(end);
  return { socket, head, received: () => bytes, ended };
}

/** Handshake headers a correct client sends to `127.0.0.1:<port>`. */
export function upgradeHeaders(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...extra,
  };
}
