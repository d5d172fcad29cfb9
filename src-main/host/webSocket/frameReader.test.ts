import { describe, expect, it } from 'vitest';
import { CLOSE, createFrameReader, OPCODE } from './frameReader.ts';
import { encodeClose, encodeText } from './frameWriter.ts';
import { clientFrame } from './webSocket.testkit.ts';

describe('createFrameReader', () => {
  it.each([
    { what: 'a short text', frames: [clientFrame(OPCODE.text, 'hello')], want: [{ type: 'text', text: 'hello' }] },
    { what: 'a 16-bit length', frames: [clientFrame(OPCODE.text, 'x'.repeat(300))], want: [{ type: 'text', text: 'x'.repeat(300) }] },
    { what: 'a 64-bit length', frames: [clientFrame(OPCODE.text, 'y'.repeat(70_000))], want: [{ type: 'text', text: 'y'.repeat(70_000) }] },
    { what: 'an empty text', frames: [clientFrame(OPCODE.text, '')], want: [{ type: 'text', text: '' }] },
    {
      what: 'a fragmented text with a ping between fragments',
      frames: [
        clientFrame(OPCODE.text, 'hel', { fin: false }),
        clientFrame(OPCODE.ping, 'p'),
        clientFrame(OPCODE.continuation, 'lo ', { fin: false }),
        clientFrame(OPCODE.continuation, 'wörld'),
      ],
      want: [{ type: 'ping', payload: Buffer.from('p') }, { type: 'text', text: 'hello wörld' }],
    },
    { what: 'a pong', frames: [clientFrame(OPCODE.pong, '')], want: [{ type: 'pong' }] },
    {
      what: 'a close with code and reason',
      frames: [clientFrame(OPCODE.close, encodeClose(1001, 'bye').subarray(2))],
      want: [{ type: 'close', code: 1001, reason: 'bye' }],
    },
    { what: 'a close without a code', frames: [clientFrame(OPCODE.close, '')], want: [{ type: 'close', code: CLOSE.noStatus, reason: '' }] },
    { what: 'an unmasked frame', frames: [clientFrame(OPCODE.text, 'hi', { masked: false })], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    { what: 'a reserved bit', frames: [clientFrame(OPCODE.text, 'hi', { rsv: 0x40 })], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    { what: 'a binary message', frames: [clientFrame(OPCODE.binary, 'hi')], want: [{ type: 'fail', code: CLOSE.unsupportedData }] },
    { what: 'an unknown opcode', frames: [clientFrame(0x3, 'hi')], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    { what: 'an unknown control opcode', frames: [clientFrame(0xb, '')], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    { what: 'a continuation out of nowhere', frames: [clientFrame(OPCODE.continuation, 'x')], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    {
      what: 'a new text inside a fragmented one',
      frames: [clientFrame(OPCODE.text, 'a', { fin: false }), clientFrame(OPCODE.text, 'b')],
      want: [{ type: 'fail', code: CLOSE.protocolError }],
    },
    { what: 'a fragmented ping', frames: [clientFrame(OPCODE.ping, 'x', { fin: false })], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    { what: 'a long ping', frames: [clientFrame(OPCODE.ping, 'x'.repeat(126))], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    { what: 'a one-byte close', frames: [clientFrame(OPCODE.close, Buffer.from([3]))], want: [{ type: 'fail', code: CLOSE.protocolError }] },
    { what: 'invalid UTF-8', frames: [clientFrame(OPCODE.text, Buffer.from([0xc3, 0x28]))], want: [{ type: 'fail', code: CLOSE.invalidPayload }] },
    {
      what: 'anything after a failure',
      frames: [clientFrame(OPCODE.binary, 'x'), clientFrame(OPCODE.text, 'ignored')],
      want: [{ type: 'fail', code: CLOSE.unsupportedData }],
    },
  ])('reads $what', ({ frames, want }) => {
    const reader = createFrameReader(1 << 20);
    const got = reader.push(Buffer.concat(frames));
    expect(got).toMatchObject(want);
    expect(got).toHaveLength(want.length);
  });

  it('waits for frames split at every possible byte', () => {
    const bytes = Buffer.concat([clientFrame(OPCODE.text, 'a'.repeat(200)), clientFrame(OPCODE.text, 'b')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const reader = createFrameReader(1 << 20);
      const got = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))];
      expect(got, `cut at ${cut}`).toEqual([{ type: 'text', text: 'a'.repeat(200) }, { type: 'text', text: 'b' }]);
    }
  });

  it('refuses messages over the limit, whole or in fragments, before buffering them', () => {
    expect(createFrameReader(10).push(clientFrame(OPCODE.text, 'x'.repeat(11)).subarray(0, 6))).toMatchObject([{ type: 'fail', code: CLOSE.tooBig }]);
    const fragments = Buffer.concat([clientFrame(OPCODE.text, 'x'.repeat(6), { fin: false }), clientFrame(OPCODE.continuation, 'x'.repeat(6))]);
    expect(createFrameReader(10).push(fragments)).toMatchObject([{ type: 'fail', code: CLOSE.tooBig }]);
    const huge = Buffer.from([0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0]);
    expect(createFrameReader(10).push(huge)).toMatchObject([{ type: 'fail', code: CLOSE.tooBig }]);
  });
});

describe('frame writer', () => {
  it.each([0, 125, 126, 65535, 65536])('encodes a %i-byte text with the right length field', (length) => {
    const frame = encodeText('z'.repeat(length));
    const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
    expect(frame.length).toBe(headerLength + length);
    expect(frame[0]).toBe(0x81);
    expect(frame[1]! & 0x80).toBe(0);
  });

  it('puts the close code first', () => {
    expect([...encodeClose(1008, 'no')]).toEqual([0x88, 4, 0x03, 0xf0, 0x6e, 0x6f]);
  });
});
