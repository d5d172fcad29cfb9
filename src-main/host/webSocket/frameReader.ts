// Decodes what a WebSocket client sends (RFC 6455 §5) into whole messages and control events; pure, fed with byte chunks.

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Close codes this server sends (RFC 6455 §7.4.1). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  noStatus: 1005,
  invalidPayload: 1007,
  policyViolation: 1008,
  tooBig: 1009,
} as const;

export type ReaderEvent =
  | { type: 'text'; text: string }
  | { type: 'ping'; payload: Buffer }
  | { type: 'pong' }
  | { type: 'close'; code: number; reason: string }
  /** The client broke the protocol: close the connection with `code`. Nothing more is read after it. */
  | { type: 'fail'; code: number; reason: string };

export interface FrameReader {
  push(chunk: Buffer): ReaderEvent[];
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

type Decoded = { frame: Frame; size: number } | { fail: { code: number; reason: string } } | null;

/**
 * Only what the contract needs: text messages (possibly fragmented), ping, pong, close. No extensions
 * are negotiated, so any reserved bit is an error; binary messages are refused with 1003.
 */
export function createFrameReader(maxMessageBytes: number): FrameReader {
  let buffered: Buffer = Buffer.alloc(0);
  let fragments: Buffer[] | null = null;
  let fragmentBytes = 0;
  let failed = false;
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  const fail = (code: number, reason: string): ReaderEvent => {
    failed = true;
    return { type: 'fail', code, reason };
  };
  const decodeText = (bytes: Buffer): ReaderEvent => {
    try {
      return { type: 'text', text: utf8.decode(bytes) };
    } catch {
      return fail(CLOSE.invalidPayload, 'text is not valid UTF-8');
    }
  };

  const handle = (frame: Frame): ReaderEvent | null => {
    const { fin, opcode, payload } = frame;
    if (opcode >= 0x8) {
      if (!fin || payload.length > 125) return fail(CLOSE.protocolError, 'control frames are short and unfragmented');
      if (opcode === OPCODE.ping) return { type: 'ping', payload };
      if (opcode === OPCODE.pong) return { type: 'pong' };
      if (opcode === OPCODE.close) return closeEvent(payload, decodeText, fail);
      return fail(CLOSE.protocolError, `unknown opcode ${opcode}`);
    }
    if (opcode === OPCODE.binary) return fail(CLOSE.unsupportedData, 'only text messages are accepted');
    if (opcode !== OPCODE.text && opcode !== OPCODE.continuation) return fail(CLOSE.protocolError, `unknown opcode ${opcode}`);
    if ((opcode === OPCODE.continuation) !== (fragments !== null)) {
      return fail(CLOSE.protocolError, fragments ? 'a new message began before the last one ended' : 'continuation without a message');
    }
    fragmentBytes += payload.length;
    if (fragmentBytes > maxMessageBytes) return fail(CLOSE.tooBig, `messages are limited to ${maxMessageBytes} bytes`);
    if (fin) {
      const whole = fragments ? Buffer.concat([...fragments, payload]) : payload;
      fragments = null;
      fragmentBytes = 0;
      return decodeText(whole);
    }
    (fragments ??= []).push(payload);
    return null;
  };

  return {
    push(chunk) {
      const out: ReaderEvent[] = [];
      if (failed) return out;
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (!failed) {
        const decoded = decodeFrame(buffered, maxMessageBytes);
        if (decoded === null) break;
        if ('fail' in decoded) {
          out.push(fail(decoded.fail.code, decoded.fail.reason));
          break;
        }
        buffered = buffered.subarray(decoded.size);
        const event = handle(decoded.frame);
        if (event) out.push(event);
      }
      return out;
    },
  };
}

function closeEvent(payload: Buffer, decodeText: (b: Buffer) => ReaderEvent, fail: (code: number, reason: string) => ReaderEvent): ReaderEvent {
  if (payload.length === 0) return { type: 'close', code: CLOSE.noStatus, reason: '' };
  if (payload.length === 1) return fail(CLOSE.protocolError, 'a close frame cannot carry one byte');
  const reason = decodeText(payload.subarray(2));
  return reason.type === 'text' ? { type: 'close', code: payload.readUInt16BE(0), reason: reason.text } : reason;
}

/** One frame from the front of `bytes`, unmasked; null until the whole frame has arrived. */
function decodeFrame(bytes: Buffer, maxPayload: number): Decoded {
  if (bytes.length < 2) return null;
  const first = bytes[0]!;
  const second = bytes[1]!;
  if ((first & 0x70) !== 0) return { fail: { code: CLOSE.protocolError, reason: 'reserved bits set without an extension' } };
  if ((second & 0x80) === 0) return { fail: { code: CLOSE.protocolError, reason: 'client frames must be masked' } };
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return null;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return null;
    const big = bytes.readBigUInt64BE(2);
    if (big > BigInt(maxPayload)) return { fail: { code: CLOSE.tooBig, reason: `messages are limited to ${maxPayload} bytes` } };
    length = Number(big);
    offset = 10;
  }
  if (length > maxPayload) return { fail: { code: CLOSE.tooBig, reason: `messages are limited to ${maxPayload} bytes` } };
  const size = offset + 4 + length;
  if (bytes.length < size) return null;
  const mask = bytes.subarray(offset, offset + 4);
  const payload = Buffer.from(bytes.subarray(offset + 4, size));
  for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i & 3]!;
  return { frame: { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload }, size };
}
