import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAnswer } from '../../../src-shared/protocol/audit.ts';
import { createAuditCommand } from './audit.ts';
import { answered, refused, runSessionCommand, sandboxFolder, TOKEN, twoRootEntry } from './sessionCommand.testkit.ts';

let sandbox: Awaited<ReturnType<typeof sandboxFolder>>;
beforeEach(async () => (sandbox = await sandboxFolder()));
afterEach(() => sandbox.remove());

const TRAIL: AuditAnswer = {
  node: 'root-1',
  entries: [
    { id: 'AAAAAAAAAAAAAAAA', at: Date.parse('2026-12-08T10:00:00Z'), root: 2, user: 'mallory', address: '198.51.100.7', event: { kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused: 0 } },
    { id: 'BBBBBBBBBBBBBBBB', at: Date.parse('2026-12-08T10:01:00Z'), root: 1, user: 'administrator', event: { kind: 'lock-held' } },
  ],
  omitted: 3,
};

const audit = (argv: string[], client = twoRootEntry({ readAudit: () => answered<'readAudit'>(TRAIL) })) =>
  runSessionCommand(createAuditCommand, argv, { client, env: { RAINCOAT_SANDBOX_DIR: sandbox.dir } });

describe('raincoat audit', () => {
  it('prints the trail as a table: when, where, who, from where and what, oldest first', async () => {
    expect(await audit([])).toEqual({
      code: 0,
      out: [
        'the audit trail as root-1 keeps it (3 older entries left out: --limit):',
        'time                      root    administrator  from          what',
        `------------------------  ------  -------------  ------------  ${'-'.repeat(60)}`,
        '2026-12-08T10:00:00.000Z  root-2  mallory        198.51.100.7  login refused (unauthenticated): wrong user name or password',
        '2026-12-08T10:01:00.000Z  root-1  administrator  -             holds the administrator lock: every live root acknowledged',
        '',
      ].join('\n'),
      err: '',
    });
  });

  it('prints the entry root’s answer as JSON with --json, read in a session of its own with the limit and time asked', async () => {
    const client = twoRootEntry({ readAudit: () => answered<'readAudit'>(TRAIL) });
    const run = await audit(['--json', '--limit', '2', '--since', '2026-12-08T09:00Z'], client);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(run.out)).toEqual(TRAIL);
    expect(client.calls.map((c) => [c.route, c.session, c.body])).toEqual([
      ['login', undefined, expect.anything()],
      ['loginProgress', TOKEN, undefined],
      ['loginProgress', TOKEN, undefined],
      ['readAudit', TOKEN, { limit: 2, since: Date.parse('2026-12-08T09:00:00Z') }],
      ['logout', TOKEN, undefined],
    ]);
  });

  it('asks for the newest 50 by default', async () => {
    const client = twoRootEntry({ readAudit: () => answered<'readAudit'>(TRAIL) });
    await audit([], client);
    expect(client.calls.find((c) => c.route === 'readAudit')?.body).toEqual({ limit: 50 });
  });

  it.each([
    [['--limit', '0'], 'raincoat audit: --limit: expected a whole number from 1 to 2000, found "0"\n'],
    [['--limit', '2001'], 'raincoat audit: --limit: expected a whole number from 1 to 2000, found "2001"\n'],
    [['--since', 'last week'], 'raincoat audit: --since: expected an ISO 8601 time (2026-12-08, 2026-12-08T10:00Z) or a duration back from now (90s, 30m, 12h, 7d), found "last week"\n'],
  ])('refuses %j before logging in', async (argv, err) => {
    const client = twoRootEntry();
    expect(await audit(argv, client)).toEqual({ code: 2, out: '', err });
    expect(client.calls).toEqual([]);
  });

  it('exits 1 with the reason when the entry root does not give its trail, and still logs out', async () => {
    const client = twoRootEntry({ readAudit: () => refused('unreachable', 'connect ECONNREFUSED 127.0.0.1:9') });
    expect(await audit([], client)).toEqual({ code: 1, out: '', err: 'raincoat audit: root-1 did not give its audit trail: connect ECONNREFUSED 127.0.0.1:9\n' });
    expect(client.calls.at(-1)?.route).toBe('logout');
  });
});
