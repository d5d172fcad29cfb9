import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEQ, buildUnsignedMessage } from '../../src-shared/protocol/messages.ts';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { createMessageSigner, createMessageVerifier } from './messageSignature.ts';
import { createMemoryNetwork } from './memoryNetwork.ts';
import { createFloodRouter, messageKey } from './router.ts';
import type { FloodRouterOptions } from './router.ts';
import { createSeenSet } from './seenSet.ts';
import { createSeqCounter } from './seqCounter.ts';

const T0 = 1_700_000_000_000;
const MAX_AGE = 600_000;
const SKEW = 30_000;

const rootKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signRoot1 = createMessageSigner(rootKey.privateKey);
const verify = createMessageVerifier((origin) => (origin === 'root-1' ? rootKey.publicKey : undefined));

/** root-2 with neighbours root-1 and root-3, recording what it handles and sends. */
function receiver(overrides: Partial<FloodRouterOptions> = {}) {
  let t = T0;
  const handled: { message: FloodMessage; from: string | null }[] = [];
  const sent: { to: string; id: string }[] = [];
  const router = createFloodRouter({
    self: 'root-2',
    neighbours: () => ['root-1', 'root-3'],
    verify,
    sign: () => 'A'.repeat(86),
    nextSeq: () => 1,
    now: () => t,
    handle: (message, from) => handled.push({ message, from }),
    send: (to, message) => sent.push({ to, id: message.id }),
    ...overrides,
  });
  return { router, handled, sent, advance: (ms: number) => (t += ms), now: () => t };
}

function fromRoot1(ts = T0, seq = 1, topologyId = 't1'): FloodMessage {
  const unsigned = buildUnsignedMessage('root-1', seq, 'confirm_deploy', ts, { topologyId });
  return { ...unsigned, sig: signRoot1(unsigned) } as FloodMessage;
}

describe('receive', () => {
  it('handles a good message once and sends it on to every neighbour but the sender', () => {
    const { router, handled, sent } = receiver();
    expect(router.receive('root-1', fromRoot1())).toEqual({ accepted: true });
    expect(handled.map((h) => h.from)).toEqual(['root-1']);
    expect(sent).toEqual([{ to: 'root-3', id: 'root-1.1' }]);
  });

  it('drops a duplicate, and a copy whose signature was re-encoded', () => {
    const { router, handled } = receiver();
    const message = fromRoot1();
    router.receive('root-1', message);
    expect(router.receive('root-3', message)).toEqual({ accepted: false, reason: 'duplicate' });
    expect(router.receive('root-3', { ...message, sig: signRoot1(message) })).toEqual({ accepted: false, reason: 'duplicate' });
    expect(handled).toHaveLength(1);
    expect(router.stats().rejected.duplicate).toBe(2);
  });

  it('tells a duplicate before checking its shape, and still refuses a malformed message it has not seen', () => {
    const { router, handled } = receiver();
    const message = fromRoot1();
    router.receive('root-1', message);
    // The signed fields are those of the message accepted: it is that message again, whatever else the copy holds.
    expect(router.receive('root-3', { ...message, extra: true })).toEqual({ accepted: false, reason: 'duplicate' });
    expect(router.receive('root-3', { ...fromRoot1(T0, 2), extra: true })).toMatchObject({ accepted: false, reason: 'malformed' });
    expect(router.receive('root-3', null)).toMatchObject({ accepted: false, reason: 'malformed' });
    expect(router.receive('root-3', { ...message, ts: 'soon' })).toMatchObject({ accepted: false, reason: 'malformed' });
    expect(handled).toHaveLength(1);
  });

  it('tells a duplicate by its id and time stamp alone: a forged body under an accepted id is dropped unchecked', () => {
    let verified = 0;
    const { router, handled } = receiver({ verify: (message, bytes) => (verified++, verify(message, bytes)) });
    const message = fromRoot1();
    router.receive('root-1', message);
    expect(router.receive('root-3', { ...message, body: { topologyId: 'forged' } })).toEqual({ accepted: false, reason: 'duplicate' });
    expect(verified).toBe(1);
    // Another time stamp under the same id is another message: checked, and refused for its signature.
    expect(router.receive('root-3', { ...message, ts: T0 + 1 })).toEqual({ accepted: false, reason: 'bad_signature' });
    expect(verified).toBe(2);
    expect(handled).toHaveLength(1);
  });

  it('refuses a tampered body, another key, and an unknown origin, and counts each', () => {
    const { router, handled, sent } = receiver();
    const message = fromRoot1();
    expect(router.receive('root-1', { ...message, body: { topologyId: 't9' } })).toEqual({ accepted: false, reason: 'bad_signature' });
    const stranger = buildUnsignedMessage('root-9', 1, 'confirm_deploy', T0, { topologyId: 't1' });
    expect(router.receive('root-1', { ...stranger, sig: signRoot1(stranger) })).toEqual({ accepted: false, reason: 'unknown_origin' });
    expect(handled).toEqual([]);
    expect(sent).toEqual([]);
    // A refused copy does not poison the seen-set: the genuine message still gets through.
    expect(router.receive('root-1', message).accepted).toBe(true);
    expect(router.stats().rejected).toMatchObject({ bad_signature: 1, unknown_origin: 1 });
  });

  it('takes a message another agent of the process found good as that one parsed it, each agent checking the origin itself', () => {
    const first = receiver();
    const second = receiver();
    const stranger = receiver({ verify: createMessageVerifier(() => undefined) });
    const message = fromRoot1(T0, 7);
    first.router.receive('root-1', message);
    expect(second.router.receive('root-1', structuredClone(message))).toEqual({ accepted: true });
    expect(second.handled[0]!.message).toBe(first.handled[0]!.message);
    expect(Object.isFrozen(second.handled[0]!.message.body)).toBe(true);
    // A line that claims the message with another body brings the message its signature covers, not that body.
    const third = receiver();
    expect(third.router.receive('root-3', { ...message, body: { topologyId: 'forged' } })).toEqual({ accepted: true });
    expect(third.handled[0]!.message.body).toEqual({ topologyId: 't1' });
    // Whether it knows the origin is each agent's own view.
    expect(stranger.router.receive('root-1', structuredClone(message))).toEqual({ accepted: false, reason: 'unknown_origin' });
    // A forgery nobody found good is still one.
    expect(receiver().router.receive('root-1', { ...fromRoot1(T0, 8), body: { topologyId: 'forged' } })).toEqual({ accepted: false, reason: 'bad_signature' });
  });

  it("refuses what the origin may not originate before checking it, and neither handles nor sends it on", () => {
    const { router, handled, sent } = receiver({ mayOriginate: (m) => m.origin !== 'root-1' });
    expect(router.receive('root-1', fromRoot1())).toEqual({ accepted: false, reason: 'forbidden', detail: 'root-1 may not originate confirm_deploy' });
    expect(handled).toEqual([]);
    expect(sent).toEqual([]);
    expect(router.stats().rejected.forbidden).toBe(1);
  });

  it("refuses an origin's messages past its budget, spending it only on genuine new ones", () => {
    let left = 2;
    const taken: string[] = [];
    const { router, handled } = receiver({ budget: { take: (origin) => (taken.push(origin), left-- > 0) } });
    const forged = fromRoot1(T0, 9);
    router.receive('root-1', { ...forged, body: { topologyId: 'forged' } });
    router.receive('root-1', fromRoot1(T0, 1));
    router.receive('root-3', fromRoot1(T0, 1));
    router.receive('root-1', fromRoot1(T0, 2));
    expect(router.receive('root-1', fromRoot1(T0, 3))).toEqual({ accepted: false, reason: 'rate_limited', detail: 'root-1 sends more than its share' });
    // Neither the forged copy nor the duplicate spent root-1's budget.
    expect(taken).toEqual(['root-1', 'root-1', 'root-1']);
    expect(handled).toHaveLength(2);
    // A refused message is not marked seen: once the origin has budget again, a copy of it is taken.
    left = 1;
    expect(router.receive('root-3', fromRoot1(T0, 3))).toEqual({ accepted: true });
  });

  it('says what is malformed', () => {
    const { router } = receiver();
    const result = router.receive('root-1', { ...fromRoot1(), id: 'root-1.0' });
    expect(result).toMatchObject({ accepted: false, reason: 'malformed' });
    expect(!result.accepted && result.detail).toMatch(/^id: /);
    expect(router.receive('root-1', 'junk')).toMatchObject({ accepted: false, reason: 'malformed' });
    expect(router.stats().rejected.malformed).toBe(2);
  });

  it.each([
    ['at the oldest accepted age', -(MAX_AGE - SKEW) + 1, true],
    ['just too old', -(MAX_AGE - SKEW), 'too_old'],
    ['at the skew allowance ahead', SKEW, true],
    ['just past the skew allowance', SKEW + 1, 'from_future'],
  ])('a message %s', (_, offset, outcome) => {
    const { router } = receiver();
    const result = router.receive('root-1', fromRoot1(T0 + offset));
    expect(result).toEqual(outcome === true ? { accepted: true } : { accepted: false, reason: outcome });
  });

  it('refuses a replay once the seen-set has forgotten the message', () => {
    let t = T0;
    const seen = createSeenSet({ now: () => t });
    const { router, handled } = receiver({ seen, now: () => t });
    // The newest timestamp accepted: its entry expires when it has just become too old.
    const message = fromRoot1(T0 + SKEW);
    router.receive('root-1', message);
    t += MAX_AGE;
    expect(seen.has(messageKey(message))).toBe(false);
    expect(router.receive('root-1', message)).toEqual({ accepted: false, reason: 'too_old' });
    expect(handled).toHaveLength(1);
  });

  it('never accepts a replay, whatever its timestamp, arrival and replay time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(MAX_AGE - SKEW) + 1, max: SKEW }),
        fc.integer({ min: 0, max: 3 * MAX_AGE }),
        fc.integer({ min: 0, max: 3 * MAX_AGE }),
        (offset, wait, seenWhile) => {
          const { router, advance } = receiver();
          advance(seenWhile);
          const message = fromRoot1(T0 + seenWhile + offset);
          if (!router.receive('root-1', message).accepted) return false;
          advance(wait);
          return !router.receive('root-3', message).accepted;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('drops its own message coming back', () => {
    const { router } = receiver({ self: 'root-1' });
    expect(router.receive('root-3', fromRoot1())).toEqual({ accepted: false, reason: 'duplicate' });
  });

  it('counts a handler that throws, and still sends the message on', () => {
    const errors: unknown[] = [];
    const { router, sent } = receiver({
      handle: () => {
        throw new Error('boom');
      },
      onHandlerError: (error) => errors.push(error),
    });
    expect(router.receive('root-1', fromRoot1()).accepted).toBe(true);
    expect(router.stats().handlerErrors).toBe(1);
    expect(errors).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it('sends only where the policy allows', () => {
    const { router, sent } = receiver({ shouldSend: (_, to) => to !== 'root-3', neighbours: () => ['root-1', 'root-3', 'root-4'] });
    router.receive('root-1', fromRoot1());
    expect(sent.map((s) => s.to)).toEqual(['root-4']);
  });
});

describe('originate', () => {
  it('signs, numbers and sends to every neighbour, and marks its message seen', () => {
    let stored: number | undefined = MAX_SEQ;
    const seq = createSeqCounter({ load: () => stored, save: (n) => (stored = n) });
    const { router, sent, handled } = receiver({ self: 'root-1', neighbours: () => ['root-2', 'root-3'], sign: signRoot1, nextSeq: () => seq.next() });
    const a = router.originate('confirm_deploy', { topologyId: 't1' });
    const b = router.originate('confirm_deploy', { topologyId: 't1' });
    expect([a.id, b.id]).toEqual([`root-1.${MAX_SEQ}`, 'root-1.1']);
    expect(verify(a)).toBe('ok');
    expect(sent).toEqual([
      { to: 'root-2', id: `root-1.${MAX_SEQ}` },
      { to: 'root-3', id: `root-1.${MAX_SEQ}` },
      { to: 'root-2', id: 'root-1.1' },
      { to: 'root-3', id: 'root-1.1' },
    ]);
    expect(handled).toEqual([]);
    expect(router.receive('root-3', a)).toEqual({ accepted: false, reason: 'duplicate' });
    expect(router.stats()).toMatchObject({ originated: 2, sent: 4 });
  });

  it('refuses a body that does not fit its type', () => {
    const { router } = receiver();
    expect(() => router.originate('confirm_deploy', { topologyId: '' })).toThrow();
  });

  it('the seen-set key ignores the signature and covers everything else', () => {
    const message = fromRoot1();
    expect(messageKey({ ...message, sig: 'B'.repeat(86) })).toBe(messageKey(message));
    expect(messageKey(fromRoot1(T0 + 1))).not.toBe(messageKey(message));
  });
});

describe('on an in-memory network', () => {
  // root-1 — root-2 — root-3 — root-1 (a triangle) with leaf-1-1 under root-1.
  const neighbours = new Map([
    ['root-1', ['root-2', 'root-3', 'leaf-1-1']],
    ['root-2', ['root-1', 'root-3']],
    ['root-3', ['root-1', 'root-2']],
    ['leaf-1-1', ['root-1']],
  ]);

  it('reaches every node once, whichever node starts, and sends 2·links − (nodes − 1) messages', () => {
    for (const origin of neighbours.keys()) {
      const handled: string[] = [];
      const network = createMemoryNetwork({ neighbours, now: () => T0, handle: (node) => handled.push(node) });
      network.router(origin).originate('confirm_deploy', { topologyId: 't1' });
      network.deliverAll();
      expect(handled.sort()).toEqual([...neighbours.keys()].filter((n) => n !== origin).sort());
      expect(network.sent).toBe(2 * 4 - 3);
    }
  });

  it('a down node misses the flood without stopping it reaching the others', () => {
    const handled: string[] = [];
    const network = createMemoryNetwork({ neighbours, now: () => T0, handle: (node) => handled.push(node) });
    network.setDown('root-2', true);
    network.router('leaf-1-1').originate('confirm_deploy', { topologyId: 't1' });
    network.deliverAll();
    expect(handled.sort()).toEqual(['root-1', 'root-3']);
  });
});
