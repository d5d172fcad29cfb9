import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildUnsignedMessage } from '../../src-shared/protocol/messages.ts';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { createMessageSigner, createMessageVerifier, verifyMessageSignature } from './messageSignature.ts';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const sign = createMessageSigner(keys.privateKey);

function signed(): FloodMessage {
  const unsigned = buildUnsignedMessage('root-1', 7, 'confirm_deploy', 1_700_000_000_000, { topologyId: 't1' });
  return { ...unsigned, sig: sign(unsigned) } as FloodMessage;
}

describe('message signatures', () => {
  it('verifies what the origin signed, in the fixed 86-character form', () => {
    const message = signed();
    expect(message.sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifyMessageSignature(message, keys.publicKey)).toBe(true);
  });

  it.each([
    ['a tampered body', (m: FloodMessage) => ({ ...m, body: { topologyId: 't2' } })],
    ['a changed timestamp', (m: FloodMessage) => ({ ...m, ts: m.ts + 1 })],
    ['a changed id', (m: FloodMessage) => ({ ...m, id: 'root-1.8' })],
    ['another origin', (m: FloodMessage) => ({ ...m, origin: 'root-2', id: 'root-2.7' })],
    ['a flipped signature bit', (m: FloodMessage) => ({ ...m, sig: (m.sig[0] === 'A' ? 'B' : 'A') + m.sig.slice(1) })],
    ['a truncated signature', (m: FloodMessage) => ({ ...m, sig: m.sig.slice(0, 80) })],
  ])('refuses %s', (_, change) => {
    expect(verifyMessageSignature(change(signed()) as FloodMessage, keys.publicKey)).toBe(false);
  });

  it('remembers a good signature for the same key only (another copy of it, as another agent of the process holds), never for other bytes or keys', () => {
    const message = signed();
    expect(verifyMessageSignature(message, keys.publicKey)).toBe(true);
    const copy = createPublicKey(keys.publicKey.export({ type: 'spki', format: 'pem' }));
    expect(verifyMessageSignature(message, copy)).toBe(true);
    expect(verifyMessageSignature(message, other.publicKey)).toBe(false);
    expect(verifyMessageSignature({ ...message, ts: message.ts + 1 }, copy)).toBe(false);
    expect(verifyMessageSignature({ ...message, sig: signed().sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, keys.publicKey)).toBe(false);
  });

  it("refuses another node's key", () => {
    expect(verifyMessageSignature(signed(), other.publicKey)).toBe(false);
  });

  it('the verifier tells an unknown origin from a bad signature', () => {
    const verify = createMessageVerifier((origin) => (origin === 'root-1' ? keys.publicKey : origin === 'root-2' ? other.publicKey : undefined));
    const message = signed();
    expect(verify(message)).toBe('ok');
    expect(verify({ ...message, body: { topologyId: 't2' } } as FloodMessage)).toBe('bad_signature');
    expect(verify({ ...message, origin: 'root-3', id: 'root-3.7' })).toBe('unknown_origin');
  });

  it('accepts only P-256 keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => createMessageSigner(rsa.privateKey)).toThrow(/P-256/);
    expect(() => createMessageSigner(p384.privateKey)).toThrow(/P-256/);
    expect(() => createMessageSigner(keys.publicKey)).toThrow(/P-256/);
    expect(verifyMessageSignature(signed(), p384.publicKey)).toBe(false);
  });
});
