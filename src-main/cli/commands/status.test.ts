import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../../src-shared/protocol/messages.ts';
import { createStatusCommand, formatStatus } from './status.ts';
import { answered, refused, runSessionCommand, sandboxFolder, TOKEN, twoRootEntry } from './sessionCommand.testkit.ts';

let sandbox: Awaited<ReturnType<typeof sandboxFolder>>;
beforeEach(async () => (sandbox = await sandboxFolder()));
afterEach(() => sandbox.remove());

const SNAPSHOT: StatusSnapshot = {
  node: 'root-1',
  generatedAt: 1_000_000,
  nodes: [
    { node: 'root-1', state: 'alive', lastHeartbeat: 999_000, topologyId: 't-1', tunnels: [{ peer: 2, state: 'up' }, { peer: 3, state: 'down' }] },
    { node: 'leaf-1-1', state: 'failed', reason: 'openvpn would not start', lastHeartbeat: 880_000, topologyId: null, clientsConnected: 2 },
  ],
};

const status = (argv: string[], client = twoRootEntry({ status: () => answered<'status'>(SNAPSHOT) })) =>
  runSessionCommand(createStatusCommand, argv, { client, env: { RAINCOAT_SANDBOX_DIR: sandbox.dir } });

describe('raincoat status', () => {
  it('prints every node as exact JSON with --json, in a session of its own, and nothing else on stdout', async () => {
    const client = twoRootEntry({ status: () => answered<'status'>(SNAPSHOT) });
    const run = await status(['--json'], client);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(run.out)).toEqual({
      nodes: [
        { id: 1, kind: 'root', name: 'root-1', status: 'alive', lastHeartbeat: 999_000, topologyId: 't-1', clientsConnected: 2, tunnels: [{ peer: 2, state: 'up' }, { peer: 3, state: 'down' }] },
        { id: '1-1', kind: 'leaf', name: 'leaf-1-1', status: 'failed', lastHeartbeat: 880_000, topologyId: null, reason: 'openvpn would not start', clientsConnected: 2 },
      ],
    });
    expect(client.calls.map((c) => [c.route, c.session])).toEqual([
      ['login', undefined],
      ['loginProgress', TOKEN],
      ['loginProgress', TOKEN],
      ['status', TOKEN],
      ['logout', TOKEN],
    ]);
  });

  it('prints a table with clients, heartbeats as ages on the entry root’s clock, a root’s tunnels, and why nodes failed', async () => {
    expect(await status([])).toEqual({
      code: 0,
      out: [
        'as root-1 sees the overlay:',
        'node      kind  status  clients  last heartbeat  topology  tunnels',
        '--------  ----  ------  -------  --------------  --------  ------------',
        'root-1    root  alive   2        1 s ago         t-1       2 up, 3 down',
        'leaf-1-1  leaf  failed  2        2 min ago       -         -',
        'leaf-1-1 failed: openvpn would not start',
        '',
      ].join('\n'),
      err: '',
    });
  });

  it.each([
    [0, '0 s ago'],
    [119_000, '119 s ago'],
    [120_000, '2 min ago'],
    [7_199_000, '120 min ago'],
    [7_200_000, '2 h ago'],
  ])('says a heartbeat %i ms old was %s', (ms, text) => {
    expect(formatStatus([{ id: 1, kind: 'root', name: 'root-1', status: 'alive', lastHeartbeat: 10_000_000 - ms, topologyId: null }], 'root-1', 10_000_000)).toContain(text);
  });

  it('says to change the default password with login first', async () => {
    const client = twoRootEntry({ login: () => refused('forbidden', 'the default password must be changed at first login: give a new password', 403) });
    expect(await status([], client)).toEqual({
      code: 1,
      out: '',
      err: 'raincoat status: the default password must be changed at the first login: run "raincoat login --new-password" first\n',
    });
  });

  it('exits 1 when the entry root does not give its status, and still logs out', async () => {
    const client = twoRootEntry({ status: () => refused('unavailable', 'busy', 503) });
    expect(await status([], client)).toEqual({ code: 1, out: '', err: 'raincoat status: root-1 did not give its status: busy\n' });
    expect(client.calls.at(-1)?.route).toBe('logout');
  });
});
