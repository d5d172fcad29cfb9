import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogoutCommand } from './logout.ts';
import { refused, runSessionCommand, sandboxFolder, twoRootEntry } from './sessionCommand.testkit.ts';

let sandbox: Awaited<ReturnType<typeof sandboxFolder>>;
beforeEach(async () => (sandbox = await sandboxFolder()));
afterEach(() => sandbox.remove());

const logout = (client = twoRootEntry()) => runSessionCommand(createLogoutCommand, [], { client, env: { RAINCOAT_SANDBOX_DIR: sandbox.dir } });

describe('raincoat logout', () => {
  it('says no session is open when the lock is free, having logged in and out to check', async () => {
    const client = twoRootEntry();
    expect(await logout(client)).toEqual({ code: 0, out: 'no session is open: the administrator lock is free (logged in at root-1 to check, and out again)\n', err: '' });
    expect(client.calls.at(-1)?.route).toBe('logout');
  });

  it('names the session that holds the lock, and where', async () => {
    const client = twoRootEntry({ login: () => refused('conflict', 'administrator "alice" is logged in at root 1', 409) });
    expect(await logout(client)).toEqual({
      code: 1,
      out: '',
      err: 'raincoat logout: the administrator lock is held: administrator "alice" is logged in at root-1; try again once that session ends (at its logout, or after 30 minutes idle)\n',
    });
  });
});
