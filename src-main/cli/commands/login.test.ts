import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import { createLoginCommand } from './login.ts';
import { KEPT_PASSWORD, refused, runSessionCommand, sandboxFolder, TOKEN, twoRootEntry } from './sessionCommand.testkit.ts';

let sandbox: Awaited<ReturnType<typeof sandboxFolder>>;
beforeEach(async () => (sandbox = await sandboxFolder()));
afterEach(() => sandbox.remove());

const login = (argv: string[], client = twoRootEntry(), env: NodeJS.ProcessEnv = {}, typed?: string[]) =>
  runSessionCommand(createLoginCommand, argv, { client, env: { RAINCOAT_SANDBOX_DIR: sandbox.dir, ...env }, ...(typed ? { typed } : {}) });

describe('raincoat login', () => {
  it("logs in with the sandbox's kept password, prints each root's acknowledgement as it arrives, and logs out", async () => {
    const client = twoRootEntry();
    expect(await login([], client)).toEqual({
      code: 0,
      out: [
        'root-1 accepted the login of administrator; every live root must acknowledge the administrator lock',
        'root-1 acknowledged (1 of 2)',
        'root-2 acknowledged (2 of 2)',
        'logged in at root-1: every live root acknowledged (2 of 2)',
        'logged out at root-1',
        '',
      ].join('\n'),
      err: '',
    });
    expect(client.calls[0]).toEqual({ route: 'login', body: { user: 'administrator', password: KEPT_PASSWORD } });
    expect(client.calls.at(-1)).toEqual({ route: 'logout', session: TOKEN });
    expect(client.closed).toBe(true);
  });

  it('logs in at the root named as ENTRY, by name or agent address, and refuses one the overlay does not have', async () => {
    expect(await login(['root-1'])).toMatchObject({ code: 0, out: expect.stringContaining('logged in at root-1') });
    expect(await login(['https://127.0.0.1:4001'])).toMatchObject({ code: 0, out: expect.stringContaining('logged in at root-1') });
    const client = twoRootEntry();
    expect(await login(['root-2'], client)).toEqual({ code: 2, out: '', err: 'raincoat login: "root-2" is not a root of overlay sandbox: its roots are root-1 (https://127.0.0.1:4001)\n' });
    expect(client.calls).toEqual([]);
    expect(await login(['root-1', '--entry', 'root-1'])).toMatchObject({ code: 2, err: expect.stringContaining('either as ENTRY or as --entry') });
  });

  it('takes the password from RAINCOAT_PASSWORD before the kept one, and the user from --user', async () => {
    const client = twoRootEntry();
    await login(['--user', 'alice'], client, { RAINCOAT_PASSWORD: 'from the environment' });
    expect(client.calls[0]!.body).toEqual({ user: 'alice', password: 'from the environment' });
  });

  it('refuses the default password without a new one, saying to set one with --new-password', async () => {
    const client = twoRootEntry({ login: () => refused('forbidden', 'the default password must be changed at first login: give a new password', 403) });
    expect(await login([], client, { RAINCOAT_PASSWORD: 'makeitrain' })).toEqual({
      code: 1,
      out: '',
      err: 'raincoat login: the default password must be changed at the first login: set a new password with --new-password\n',
    });
  });

  it("sets a new password from RAINCOAT_NEW_PASSWORD, and the sandbox's kept password becomes it", async () => {
    const client = twoRootEntry();
    const run = await login(['--new-password'], client, { RAINCOAT_NEW_PASSWORD: 'a much better secret' });
    expect(run.code).toBe(0);
    expect(client.calls[0]!.body).toEqual({ user: 'administrator', password: KEPT_PASSWORD, newPassword: 'a much better secret' });
    expect(run.out).toContain("the password of administrator is changed, on every root\nthe sandbox's kept password is the new one\n");
    expect(await readFile(path.join(sandbox.dir, SANDBOX_FILES.password), 'utf8')).toBe('a much better secret\n');
  });

  it('asks for the new password twice on the terminal', async () => {
    const client = twoRootEntry();
    expect((await login(['--new-password'], client, {}, ['typed new secret', 'typed new secret'])).code).toBe(0);
    expect(client.calls[0]!.body).toMatchObject({ newPassword: 'typed new secret' });
  });

  it.each([
    ['no new password anywhere', ['--new-password'], {}, 'raincoat login: no new password: set RAINCOAT_NEW_PASSWORD, or run the command on a terminal to be asked for it\n'],
    ['an access file that does not exist', ['--access', '/nonexistent.json'], {}, /^raincoat login: \/nonexistent\.json: no such file/],
  ])('exits 2 and sends nothing with %s', async (_, argv, env, err) => {
    const client = twoRootEntry();
    const run = await login(argv, client, env);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(err);
    expect(client.calls).toEqual([]);
  });

  it("exits 2 without a password for another overlay: the sandbox's is not offered to it", async () => {
    const other = path.join(sandbox.dir, 'other.json');
    await writeFile(other, await readFile(path.join(sandbox.dir, SANDBOX_FILES.access)));
    const client = twoRootEntry();
    expect(await login(['--access', other], client)).toEqual({
      code: 2,
      out: '',
      err: 'raincoat login: no administrator password: set RAINCOAT_PASSWORD, or run the command on a terminal to be asked for it\n',
    });
    expect(client.calls).toEqual([]);
  });

  it('names who holds the lock, and where, when another administrator does', async () => {
    const client = twoRootEntry({ login: () => refused('conflict', 'administrator "alice" is logged in at root 2', 409) });
    expect(await login([], client)).toEqual({
      code: 1,
      out: '',
      err: 'raincoat login: the administrator lock is held: administrator "alice" is logged in at root-2; try again once that session ends (at its logout, or after 30 minutes idle)\n',
    });
  });

  it('fails when the session could not be ended, since it would lock others out', async () => {
    const client = twoRootEntry({ logout: () => refused('unreachable', 'connect ECONNREFUSED') });
    const run = await login([], client);
    expect(run.code).toBe(1);
    expect(run.err).toBe('raincoat login: root-1 did not end the session (connect ECONNREFUSED); it ends by itself after 30 minutes idle\n');
  });

  it('never prints a password', async () => {
    const runs = [
      await login(['--new-password'], twoRootEntry(), { RAINCOAT_NEW_PASSWORD: 'a much better secret' }),
      await login([], twoRootEntry({ login: () => refused('unauthenticated', 'wrong user name or password', 401) }), { RAINCOAT_PASSWORD: 'a wrong guess' }),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 1]);
    expect(runs.map((r) => r.out + r.err).join('')).not.toMatch(/much better secret|wrong guess|kept sandbox secret|session-token/);
  });
});
