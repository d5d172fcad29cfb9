import { describe, expect, it } from 'vitest';
import { createEnrollmentTokens, mintToken } from './enrollmentTokens.ts';
import { memoryTokens } from './enrollmentTokens.testkit.ts';

function setup() {
  let t = 1_000_000;
  const { tokens, store } = memoryTokens(() => t);
  return { tokens, store, advance: (ms: number) => (t += ms) };
}

describe('enrollment tokens', () => {
  it('allows exactly as many uses as it was made with', async () => {
    const { tokens } = setup();
    const { token } = await tokens.create({ uses: 2, ttlMs: 60_000 });
    expect(await tokens.consume(token)).toMatchObject({ ok: true });
    expect(await tokens.consume(token)).toMatchObject({ ok: true });
    expect(await tokens.consume(token)).toEqual({ ok: false, reason: 'the enrollment token has been used up' });
  });

  it('expires', async () => {
    const { tokens, advance } = setup();
    const { token } = await tokens.create({ uses: 5, ttlMs: 60_000 });
    advance(60_000);
    expect(await tokens.consume(token)).toEqual({ ok: false, reason: 'the enrollment token has expired' });
  });

  it('can be revoked', async () => {
    const { tokens } = setup();
    const { token, info } = await tokens.create({ uses: 5, ttlMs: 60_000 });
    expect(await tokens.revoke(info.id)).toBe(true);
    expect(await tokens.consume(token)).toEqual({ ok: false, reason: 'the enrollment token was revoked' });
    expect(await tokens.revoke('0000000000000000')).toBe(false);
  });

  it.each([
    ['garbage', () => 'hello'],
    ['a wrong secret for a real id', (token: string) => `${token.slice(0, -4)}AAAA`],
    ['an unknown id', (token: string) => `rce_0123456789abcdef${token.slice(20)}`],
  ])('refuses %s with one and the same reason', async (_name, alter) => {
    const { tokens } = setup();
    const { token } = await tokens.create({ uses: 5, ttlMs: 60_000 });
    expect(await tokens.consume(alter(token))).toEqual({ ok: false, reason: 'not a valid enrollment token for this root' });
  });

  it('stores a hash, never the token, and survives a restart', async () => {
    const { tokens, store } = setup();
    const { token } = await tokens.create({ uses: 3, ttlMs: 60_000, label: 'web tier' });
    expect(JSON.stringify(store.saved)).not.toContain(token.split('.')[1]);
    const again = createEnrollmentTokens({ store, now: () => 1_000_000 });
    await again.start();
    expect(await again.consume(token)).toMatchObject({ ok: true });
    expect(again.list()).toEqual([expect.objectContaining({ label: 'web tier', usesLeft: 2, revoked: false })]);
    expect(again.list()[0]).not.toHaveProperty('hash');
  });

  it('keeps a token minted at another root, which then enrolls here as often as it was made for, and keeps it only once', async () => {
    const { tokens } = setup();
    const { token, record } = mintToken({ uses: 1, ttlMs: 60_000, label: 'granted' }, 1_000_000);
    expect(token).not.toContain(record.hash);
    // As a flooded message carries it: frozen.
    Object.freeze(record);
    expect(await tokens.keep(record)).toEqual({ id: record.id, label: 'granted', usesLeft: 1, expiresAt: 1_060_000, createdAt: 1_000_000, revoked: false });
    expect(await tokens.consume(token)).toEqual({ ok: true, id: record.id });
    // The same grant again (a second copy through the overlay) gives no use back.
    expect(await tokens.keep(record)).toMatchObject({ usesLeft: 0 });
    expect(await tokens.consume(token)).toEqual({ ok: false, reason: 'the enrollment token has been used up' });
    expect(tokens.list()).toHaveLength(1);
  });
});
