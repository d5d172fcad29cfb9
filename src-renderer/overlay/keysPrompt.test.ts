import { describe, expect, it } from 'vitest';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { keysPrompt, passphraseProblem } from './keysPrompt.ts';

const state = (keys: OverlayState['keys'], phase: 'in' | 'out' = 'in'): OverlayState => ({
  overlay: { name: 'prod', entry: 'root-1', entryUrl: 'https://192.0.2.1:7443', sandbox: false, nodes: 4 },
  session: phase === 'in' ? { phase, user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false } : { phase, refusal: null, ended: null },
  status: null,
  deploy: null,
  keys,
  revision: 1,
});

describe('the keys passphrase prompt', () => {
  it.each([
    ['open', null],
    ['locked', 'theirs'],
    ['none', 'new'],
    ['plain', 'new'],
  ] as const)('with the keys %s asks %j', (keys, prompt) => {
    expect(keysPrompt(state(keys))).toEqual(prompt);
  });

  it('asks nothing while logged out, or with no overlay', () => {
    expect(keysPrompt(state('locked', 'out'))).toBeNull();
    expect(keysPrompt({ ...state(null), overlay: null })).toBeNull();
    expect(keysPrompt(null)).toBeNull();
  });

  it.each([
    ['theirs', '', '', 'type the passphrase'],
    ['theirs', 'short', '', null],
    ['new', 'short', 'short', 'a new passphrase needs at least 12 characters'],
    ['new', 'twelve chars!', 'twelve chars?', 'the two passphrases differ'],
    ['new', 'twelve chars!', 'twelve chars!', null],
  ] as const)('a %s passphrase %j (again %j): %j', (need, passphrase, again, problem) => {
    expect(passphraseProblem(need, passphrase, again)).toBe(problem);
  });
});
