import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { createEnrollmentTokens } from './enrollmentTokens.ts';
import type { EnrollmentTokensFile } from './enrollmentTokens.ts';

function memoryStore(): StateStore<EnrollmentTokensFile> & { saved: EnrollmentTokensFile | undefined } {
  const store = {
    saved: undefined as EnrollmentTokensFile | undefined,
    load: async () => (store.saved ? { kind: 'ok' as const, value: structuredClone(store.saved) } : { kind: 'missing' as const }),
    save: async (value: EnrollmentTokensFile) => {
      store.saved = structuredClone(value);
    },
  };
  return store;
}

function setup() {
  let t = 1_000_000;
  const store = memoryStore();
  const tokens = createEnrollmentTokens({ store, now: () => t });
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
});
