import { describe, expect, it } from 'vitest';
import { adminPassword, newAdminPassword } from './adminPassword.ts';
import type { PasswordSources } from './adminPassword.ts';

/** Sources whose terminal answers from a script and notes each prompt. */
function sources(env: NodeJS.ProcessEnv, kept: string | undefined, typed?: string[]): PasswordSources & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    env,
    prompts,
    readKept: async () => kept,
    ...(typed ? { ask: async (prompt: string) => (prompts.push(prompt), typed.shift() ?? '') } : {}),
  };
}

describe('adminPassword', () => {
  it.each([
    ['the environment first', { RAINCOAT_PASSWORD: 'from env' }, 'kept', ['typed'], { ok: true, password: 'from env', from: 'environment' }],
    ["the sandbox's kept file next", {}, 'kept', ['typed'], { ok: true, password: 'kept', from: 'sandbox' }],
    ['an empty variable as no variable', { RAINCOAT_PASSWORD: '' }, 'kept', undefined, { ok: true, password: 'kept', from: 'sandbox' }],
    ['the terminal last', {}, undefined, ['typed'], { ok: true, password: 'typed', from: 'terminal' }],
    ['nothing typed as no password', {}, undefined, [''], { ok: false, message: 'no password was typed' }],
  ])('takes %s', async (_, env, kept, typed, expected) => {
    expect(await adminPassword(sources(env, kept, typed))).toEqual(expected);
  });

  it('says which sources there are when there is none, without a terminal to ask', async () => {
    expect(await adminPassword(sources({}, undefined))).toEqual({
      ok: false,
      message: 'no administrator password: set RAINCOAT_PASSWORD, or run the command on a terminal to be asked for it',
    });
  });

  it('asks on the terminal only when nothing else gave one', async () => {
    const withKept = sources({}, 'kept', ['typed']);
    await adminPassword(withKept);
    const without = sources({}, undefined, ['typed']);
    await adminPassword(without);
    expect([withKept.prompts, without.prompts]).toEqual([[], ['Administrator password: ']]);
  });
});

describe('newAdminPassword', () => {
  it.each([
    ['from the environment', { RAINCOAT_NEW_PASSWORD: 'new from env' }, ['x', 'y'], { ok: true, password: 'new from env', from: 'environment' }],
    ['typed twice alike', {}, ['new typed', 'new typed'], { ok: true, password: 'new typed', from: 'terminal' }],
    ['typed twice differently', {}, ['new typed', 'new typde'], { ok: false, message: 'the two new passwords differ; nothing was changed' }],
    ['without a terminal', {}, undefined, { ok: false, message: 'no new password: set RAINCOAT_NEW_PASSWORD, or run the command on a terminal to be asked for it' }],
  ])('%s', async (_, env, typed, expected) => {
    expect(await newAdminPassword(sources(env, undefined, typed))).toEqual(expected);
  });

  it("never takes the sandbox's kept password for a new one", async () => {
    const given = sources({ RAINCOAT_PASSWORD: 'current' }, 'kept', ['a', 'a']);
    expect(await newAdminPassword(given)).toMatchObject({ password: 'a' });
    expect(given.prompts).toEqual(['New administrator password: ', 'The new password again: ']);
  });
});
