import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../src-shared/protocol/messages.ts';
import { createAdminLock } from './adminLock.ts';
import { createCheckBudget } from './checkBudget.ts';
import { hashPassword } from './credentials.ts';
import { createLoginRateLimiter } from './loginRateLimiter.ts';
import { createAdministration } from './administration.ts';
import { createHeldCredential } from './heldCredential.ts';
import type { Refusal } from '../wire/refusal.ts';

const FAST = { N: 2 ** 14, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';

const recordOf = async (password: string, changedAt: number, changedBy: number): Promise<CredentialRecord> => ({
  credential: await hashPassword('administrator', password, FAST),
  changedAt,
  changedBy,
});

async function setup(options: { maxPasswordChecks?: number; reservedPasswordChecks?: number; stored?: CredentialRecord | null; unheardRoots?: number[] } = {}) {
  const { stored = await recordOf(PASSWORD, 1, 1), unheardRoots = [], ...rest } = options;
  const saved: CredentialRecord[] = [];
  let changes = 0;
  let t = 1_000;
  const credential = createHeldCredential({
    store: { load: async () => (stored === null ? { kind: 'missing' } : { kind: 'ok', value: stored }), save: async (record) => void saved.push(record) },
    log: () => undefined,
    selfRootId: 3,
    now: () => t,
  });
  await credential.start();
  const administration = createAdministration({
    lock: createAdminLock({ selfRootId: 1, now: () => t, liveRoots: () => [1], flood: () => undefined }),
    limiter: createLoginRateLimiter({ now: () => t, maxFailures: 5 }),
    budget: createCheckBudget({ now: () => t, perMinute: 10, reservedPerMinute: 5 }),
    credential,
    unheardRoots: () => unheardRoots,
    onCredentialChanged: () => changes++,
    ...rest,
  });
  const { login, logout } = administration.handlers();
  const attempt = async (address: string, password: string, newPassword?: string) => {
    try {
      const reply = await login.handle({ node: undefined, bearer: undefined, address }, { user: 'administrator', password, ...(newPassword ? { newPassword } : {}) });
      const { session } = (reply as { json: { session: string } }).json;
      await logout.handle({ node: undefined, bearer: session, address }, undefined);
      return 'ok';
    } catch (error) {
      return (error as Refusal).code;
    }
  };
  const refusalOf = async (password: string, newPassword?: string, address = '10.9.9.9') => {
    try {
      await login.handle({ node: undefined, bearer: undefined, address }, { user: 'administrator', password, ...(newPassword ? { newPassword } : {}) });
      return undefined;
    } catch (error) {
      return error as Refusal;
    }
  };
  return { credential, attempt, refusalOf, saved, unheardRoots, changes: () => changes, advance: (ms: number) => (t += ms) };
}

function tally(outcomes: string[]) {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

describe('login', () => {
  it('checks no more guesses sent together from one source than the rate limit allows', async () => {
    const { attempt } = await setup({ maxPasswordChecks: 100 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt('10.0.0.9', `guess ${i}`)));
    expect(tally(outcomes)).toEqual({ unauthenticated: 5, rate_limited: 15 });
    expect(await attempt('10.0.0.9', PASSWORD)).toBe('rate_limited');
  });

  it('runs at most the cap of password checks at once over all sources, and does not count the turned-away as failures', async () => {
    const { attempt } = await setup({ maxPasswordChecks: 2, reservedPasswordChecks: 0 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(`10.0.1.${i}`, `guess ${i}`)));
    expect(tally(outcomes)).toEqual({ unauthenticated: 2, unavailable: 8 });
    // A turned-away source still has all its attempts: four more failures and then the right password get checked.
    for (let i = 0; i < 4; i++) expect(await attempt('10.0.1.9', `again ${i}`)).toBe('unauthenticated');
    expect(await attempt('10.0.1.9', PASSWORD)).toBe('ok');
  });
});

describe('guessing from many addresses', () => {
  /** 40 sources, 5 guesses each, one guess every 175 ms: the 200 guesses in 35 s of the issue, every one checked then. */
  const rotatingGuesses = async (attempt: (address: string, password: string) => Promise<string>, advance: (ms: number) => void) => {
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) {
      outcomes.push(await attempt(`10.0.4.${i % 40}`, `guess ${i}`));
      advance(175);
    }
    return outcomes;
  };

  it('checks 15 of 200 guesses from 40 rotating sources in 35 s: a minute’s budget at once, then one every 6 s', async () => {
    const { attempt, advance } = await setup();
    expect(tally(await rotatingGuesses(attempt, advance))).toEqual({ unauthenticated: 15, rate_limited: 185 });
  });

  it('checks the administrator’s password from an address that logged in before, while rotating guessers use up the budget', async () => {
    const { attempt, advance } = await setup();
    expect(await attempt('10.0.5.1', PASSWORD)).toBe('ok');
    await rotatingGuesses(attempt, advance);
    // The general share is gone: the right password from an address not known here waits with the guessers.
    expect(await attempt('10.0.5.2', PASSWORD)).toBe('rate_limited');
    expect(await attempt('10.0.5.1', PASSWORD)).toBe('ok');
  });

  it('keeps a password-check slot for an address that logged in before, while a guess takes the other', async () => {
    const { attempt } = await setup({ maxPasswordChecks: 2, reservedPasswordChecks: 1 });
    expect(await attempt('10.0.5.1', PASSWORD)).toBe('ok');
    const outcomes = await Promise.all([attempt('10.0.5.3', 'guess'), attempt('10.0.5.1', PASSWORD), attempt('10.0.5.4', 'guess')]);
    expect(outcomes).toEqual(['unauthenticated', 'ok', 'unavailable']);
  });

  it('counts no check that found the right password against the budget: logins in a row stay free', async () => {
    const { attempt } = await setup();
    const outcomes = [];
    for (let i = 0; i < 30; i++) outcomes.push(await attempt('10.0.5.5', PASSWORD));
    expect(tally(outcomes)).toEqual({ ok: 30 });
    // The whole minute's budget is still there for others.
    const guesses = [];
    for (let i = 0; i < 12; i++) guesses.push(await attempt(`10.0.5.${100 + i}`, 'guess'));
    expect(tally(guesses)).toEqual({ unauthenticated: 10, rate_limited: 2 });
  });

  it.each([
    { from: 'an address that logged in before', known: true, lockouts: [1, 2, 4, 8, 16, 32, 60, 60] },
    { from: 'any other address', known: false, lockouts: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900] },
  ])('locks out a guesser at $from for longer after each failure, up to its cap; then the right password gets in', async ({ known, lockouts }) => {
    const { attempt, refusalOf, advance } = await setup();
    const address = '10.0.6.1';
    if (known) expect(await attempt(address, PASSWORD)).toBe('ok');
    const seen: number[] = [];
    for (let i = 0; seen.length < lockouts.length; i++) {
      const refusal = await refusalOf(`guess ${i}`, undefined, address);
      if (refusal?.code !== 'rate_limited') {
        expect(refusal?.code).toBe('unauthenticated');
        continue;
      }
      expect(refusal.message).toMatch(/too many failed logins/);
      const seconds = Number(/try again in (\d+) s/.exec(refusal.message)![1]);
      seen.push(seconds);
      advance(seconds * 1_000);
    }
    expect(seen).toEqual(lockouts);
    expect(await attempt(address, PASSWORD)).toBe('ok');
  });
});

describe('the credential shared among roots', () => {
  it('refuses the default password, saying why, while a root expected here has not been heard from', async () => {
    const { refusalOf, unheardRoots } = await setup({ stored: null, unheardRoots: [1, 2] });
    const refusal = await refusalOf('makeitrain', 'a new password 1');
    expect(refusal?.code).toBe('unavailable');
    expect(refusal?.message).toMatch(/root-1, root-2 have not been heard from.*default password is refused/);
    unheardRoots.length = 0;
    expect(await refusalOf('makeitrain', 'a new password 1')).toBeUndefined();
  });

  it('a password set here is stored as a record of this root and its time, and a heartbeat is asked for', async () => {
    const { credential, attempt, saved, changes } = await setup({ stored: null });
    expect(await attempt('10.0.2.1', 'makeitrain', 'a new password 1')).toBe('ok');
    expect(credential.current()).toMatchObject({ changedAt: 1_000, changedBy: 3 });
    expect(saved).toEqual([credential.current()]);
    expect(changes()).toBe(1);
    expect(await attempt('10.0.2.1', 'a new password 1')).toBe('ok');
  });

  it('a change here is later than the record held even when this clock lags the root that set it', async () => {
    const { credential, attempt } = await setup({ stored: await recordOf(PASSWORD, 5_000, 1) });
    expect(await attempt('10.0.2.1', PASSWORD, 'a new password 2')).toBe('ok');
    expect(credential.current()).toMatchObject({ changedAt: 5_001, changedBy: 3 });
  });

  it('takes and stores a newer record from another root, after which the default and the old password fail and the new one works', async () => {
    const { credential, attempt, saved } = await setup({ stored: null });
    const newer = await recordOf('set at root one', 2_000, 1);
    credential.learn(newer);
    expect(credential.current()).toBe(newer);
    expect(await attempt('10.0.3.1', 'makeitrain', 'a new password 3')).toBe('unauthenticated');
    expect(await attempt('10.0.3.2', 'set at root one')).toBe('ok');
    expect(saved).toEqual([newer]);
    credential.learn(await recordOf('an older one', 1_999, 1));
    expect(credential.current()).toBe(newer);
    expect(saved).toHaveLength(1);
  });
});
