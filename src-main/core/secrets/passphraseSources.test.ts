import { describe, expect, it } from 'vitest';
import { ON_THE_COMMAND_LINE, passphraseFrom } from './passphraseSources.ts';
import type { PassphraseSources } from './passphraseSources.ts';
import type { PassphraseNeed } from './unlocker.ts';

/** The sources with `typed` answering the terminal's prompts in turn (none: no terminal); the prompts it was shown. */
function sources(over: { env?: NodeJS.ProcessEnv; kept?: string; typed?: string[] }): PassphraseSources & { prompts: string[] } {
  const prompts: string[] = [];
  const typed = over.typed;
  return {
    env: over.env ?? {},
    readKept: async () => over.kept,
    ...(typed ? { ask: async (prompt: string) => (prompts.push(prompt), typed.shift() ?? '') } : {}),
    otherwise: ON_THE_COMMAND_LINE,
    prompts,
  };
}

const ENV = { RAINCOAT_PASSPHRASE: 'from the environment' };

describe('passphraseFrom', () => {
  it.each<[string, Parameters<typeof sources>[0], PassphraseNeed, object]>([
    ['the environment first', { env: ENV, kept: 'kept one', typed: ['typed one'] }, 'open', { ok: true, passphrase: 'from the environment', from: 'from RAINCOAT_PASSPHRASE' }],
    ["then the sandbox's kept one", { kept: 'kept one', typed: ['typed one'] }, 'create', { ok: true, passphrase: 'kept one', from: 'kept for the sandbox' }],
    ['then the terminal, once to open', { typed: ['typed one'] }, 'open', { ok: true, passphrase: 'typed one', from: 'typed' }],
    ['then the terminal, twice for a new one', { typed: ['typed one', 'typed one'] }, 'create', { ok: true, passphrase: 'typed one', from: 'typed' }],
    ['refusing two that differ', { typed: ['typed one', 'typed two'] }, 'create', { ok: false, message: 'the two new passphrases differ; nothing was changed' }],
    ['refusing nothing typed', { typed: [''] }, 'open', { ok: false, message: 'no passphrase was typed; nothing was changed' }],
    [
      'else saying how to give one',
      {},
      'open',
      { ok: false, message: "no passphrase: the passphrase of the overlay's keys is needed; set RAINCOAT_PASSPHRASE, or run the command on a terminal to be asked for it" },
    ],
  ])('takes %s', async (_, given, need, answer) => {
    expect(await passphraseFrom(sources(given))(need, true)).toEqual(answer);
  });

  it('asks no person when told not to, still taking what needs nobody', async () => {
    const typing = sources({ typed: ['typed one'] });
    expect(await passphraseFrom(typing)('open', false)).toMatchObject({ ok: false, message: expect.stringMatching(/^no passphrase: /) });
    expect(typing.prompts).toEqual([]);
    expect(await passphraseFrom(sources({ kept: 'kept one', typed: ['typed one'] }))('open', false)).toMatchObject({ ok: true, passphrase: 'kept one' });
  });

  it('prompts on the terminal for what it needs', async () => {
    const open = sources({ typed: ['a'] });
    await passphraseFrom(open)('open', true);
    expect(open.prompts).toEqual(["Passphrase of the overlay's keys: "]);
    const create = sources({ typed: ['a', 'a'] });
    await passphraseFrom(create)('create', true);
    expect(create.prompts).toEqual(["New passphrase for the overlay's keys (it also guards them on every root; keep it): ", 'The new passphrase again: ']);
  });
});
