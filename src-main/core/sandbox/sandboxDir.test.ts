import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxDir } from './sandboxDir.ts';

describe('sandboxDir', () => {
  it.each([
    ['RAINCOAT_SANDBOX_DIR wins', { RAINCOAT_SANDBOX_DIR: '/tmp/sb', XDG_STATE_HOME: '/x' }, '/tmp/sb'],
    ['a relative RAINCOAT_SANDBOX_DIR, from here', { RAINCOAT_SANDBOX_DIR: 'sb' }, join(process.cwd(), 'sb')],
    ['else under XDG_STATE_HOME', { XDG_STATE_HOME: '/x/state' }, '/x/state/raincoat/sandbox'],
    ['empty values count as unset', { RAINCOAT_SANDBOX_DIR: '', XDG_STATE_HOME: '' }, join(homedir(), '.local/state/raincoat/sandbox')],
    ['else under ~/.local/state', {}, join(homedir(), '.local/state/raincoat/sandbox')],
  ])('%s', (_name, env, expected) => {
    expect(sandboxDir(env)).toBe(expected);
  });
});
