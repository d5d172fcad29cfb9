import { describe, expect, it } from 'vitest';
import type { AdministratorClaim, FloodMessage, FloodMessageOf, MessageBody } from '../../src-shared/protocol/messages.ts';
import { createManualClock, settle } from '../clock.ts';
import { Refusal } from '../wire/refusal.ts';
import { createEnrollmentGrants, GRANT_ANSWER_WITHIN_MS, grantRefusal } from './enrollmentGrants.ts';
import type { EnrollmentGrants } from './enrollmentGrants.ts';
import { memoryTokens } from './enrollmentTokens.testkit.ts';

const LOGIN = 'login-of-root-1';
const established = (rootId: number, loginId = LOGIN): AdministratorClaim => ({ rootId, loginId, user: 'administrator', established: true });

/**
 * Roots 1 (the administrator's session is there) and 2 to 4, each with its own tokens and the claim it honours, joined
 * by a flood that hands every message to every other root (or to none, for a cut-off overlay).
 */
function overlay(claims: Record<number, AdministratorClaim | null>, options: { delivered?: boolean } = {}) {
  const clock = createManualClock(1_700_000_000_000);
  const flooded: FloodMessage[] = [];
  const roots = new Map<number, { grants: EnrollmentGrants; tokens: ReturnType<typeof memoryTokens> }>();
  let seq = 0;
  for (const [id, claim] of Object.entries(claims)) {
    const rootId = Number(id);
    const tokens = memoryTokens(clock.now);
    const grants = createEnrollmentGrants({
      rootId,
      tokens: tokens.tokens,
      holder: () => claim,
      originate: (type, body) => {
        const message = { id: `root-${rootId}.${++seq}`, origin: `root-${rootId}`, type, ts: clock.now(), body, sig: 'A'.repeat(86) } as FloodMessage;
        flooded.push(message);
        if (options.delivered === false) return;
        for (const [other, at] of roots) if (other !== rootId) deliver(at.grants, message);
      },
      clock,
      log: () => undefined,
    });
    roots.set(rootId, { grants, tokens });
  }
  return { clock, flooded, at: (rootId: number) => roots.get(rootId)! };
}

function deliver(grants: EnrollmentGrants, message: FloodMessage): void {
  if (message.type === 'enrollment_grant') grants.messageHandlers.enrollment_grant(message);
  if (message.type === 'enrollment_grant_answer') grants.messageHandlers.enrollment_grant_answer(message as FloodMessageOf<'enrollment_grant_answer'>);
}

const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no refusal',
    (error: unknown) => (error instanceof Refusal ? { code: error.code, reason: error.message } : error),
  );

describe('a grant of an enrollment token to another root', () => {
  it('is kept by that root alone, carrying the hash and never the token, and the token enrolls there', async () => {
    const net = overlay({ 1: established(1), 2: established(1), 3: established(1) });
    const { token, info } = await net.at(1).grants.grant(2, { uses: 2, ttlMs: 600_000, label: 'first-boot script, 2 machines' });
    expect(info).toMatchObject({ usesLeft: 2, label: 'first-boot script, 2 machines', revoked: false, expiresAt: net.clock.now() + 600_000 });
    expect(JSON.stringify(net.flooded)).not.toContain(token.split('.')[1]);
    expect(net.flooded.map((m) => [m.origin, m.type])).toEqual([
      ['root-1', 'enrollment_grant'],
      ['root-2', 'enrollment_grant_answer'],
    ]);
    expect(net.at(2).tokens.tokens.list()).toEqual([info]);
    expect(net.at(1).tokens.tokens.list()).toEqual([]);
    expect(net.at(3).tokens.tokens.list()).toEqual([]);
    expect(await net.at(2).tokens.tokens.consume(token)).toEqual({ ok: true, id: info.id });
  });

  it('is revoked there the same way', async () => {
    const net = overlay({ 1: established(1), 2: established(1) });
    const { token, info } = await net.at(1).grants.grant(2, { uses: 1, ttlMs: 600_000 });
    await net.at(1).grants.revoke(2, info.id);
    expect(await net.at(2).tokens.tokens.consume(token)).toEqual({ ok: false, reason: 'the enrollment token was revoked' });
    expect(await refusalOf(net.at(1).grants.revoke(2, '0123456789abcdef'))).toEqual({ code: 'forbidden', reason: 'root-2 refused: no enrollment token 0123456789abcdef here' });
  });

  it.each<[string, AdministratorClaim | null, string]>([
    ['honours no administrator', null, 'no administrator holds the overlay lock here'],
    ['honours a lock held at another root', established(3), 'the administrator lock here is held at root-3, not root-1'],
    ['honours another login of the same root', established(1, 'an-older-login'), 'the login of root-1 established here is another one'],
    ['has not heard the login established yet', { ...established(1), established: false }, "the administrator's login at root-1 is not established here yet"],
  ])('is refused by a root that %s, saying why, and nothing is kept', async (_what, claim, why) => {
    const net = overlay({ 1: established(1), 2: claim });
    expect(await refusalOf(net.at(1).grants.grant(2, { uses: 1, ttlMs: 600_000 }))).toEqual({ code: 'forbidden', reason: `root-2 refused: ${why}` });
    expect(net.at(2).tokens.tokens.list()).toEqual([]);
  });

  it('is not asked for by a root whose session does not hold the lock', async () => {
    for (const claim of [null, established(2), { ...established(1), established: false }]) {
      const net = overlay({ 1: claim, 2: claim });
      expect(await refusalOf(net.at(1).grants.grant(2, { uses: 1, ttlMs: 600_000 }))).toEqual({ code: 'unavailable', reason: 'the administrator logged in at root-1 does not hold the overlay lock now' });
      expect(net.flooded).toEqual([]);
    }
  });

  it('times out when the root never answers', async () => {
    const net = overlay({ 1: established(1), 2: established(1) }, { delivered: false });
    const refused = refusalOf(net.at(1).grants.grant(2, { uses: 1, ttlMs: 600_000 }));
    await settle();
    net.clock.advance(GRANT_ANSWER_WITHIN_MS - 1);
    expect(await Promise.race([refused, settle().then(() => 'waiting')])).toBe('waiting');
    net.clock.advance(1);
    expect(await refused).toEqual({ code: 'unavailable', reason: 'root-2 did not answer within 10 s: it is down, or cut off from root-1' });
  });

  it('takes only the answer of the root asked, about the token asked for, addressed to it', async () => {
    const net = overlay({ 1: established(1), 2: established(1) }, { delivered: false });
    const asked = net.at(1).grants.grant(2, { uses: 1, ttlMs: 600_000 });
    const grant = net.flooded[0] as FloodMessageOf<'enrollment_grant'>;
    const tokenId = grant.body.action === 'grant' ? grant.body.token.id : '';
    const answer = (origin: string, body: MessageBody<'enrollment_grant_answer'>) =>
      net.at(1).grants.messageHandlers.enrollment_grant_answer({ id: `${origin}.9`, origin, type: 'enrollment_grant_answer', ts: 0, body, sig: 'A'.repeat(86) });
    answer('root-3', { rootId: 1, action: 'grant', tokenId, done: true });
    answer('root-2', { rootId: 4, action: 'grant', tokenId, done: true });
    answer('root-2', { rootId: 1, action: 'grant', tokenId: '0123456789abcdef', done: true });
    answer('root-2', { rootId: 1, action: 'revoke', tokenId, done: true });
    expect(await Promise.race([asked.then(() => 'answered'), settle().then(() => 'waiting')])).toBe('waiting');
    answer('root-2', { rootId: 1, action: 'grant', tokenId, done: true });
    expect(await asked).toMatchObject({ info: { id: tokenId } });
  });
});

describe('grantRefusal', () => {
  it('takes the grant of the root whose established login it honours', () => {
    expect(grantRefusal(established(1), 1, LOGIN)).toBeUndefined();
  });
});
