import { describe, expect, it } from 'vitest';
import type { RootEvent } from '../../src-shared/protocol/audit.ts';
import type { LoginAnswer } from '../../src-shared/protocol/agentApi.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { Refusal } from '../wire/refusal.ts';
import type { Caller } from '../wire/route.ts';
import { auditedRoutes } from './auditedRoutes.ts';
import type { RecordedRoutes } from './auditedRoutes.ts';

const TOKEN = 'session-token-0123456789';
const caller: Caller = { node: undefined, bearer: TOKEN, address: '192.0.2.10' };
const progress = (phase: 'waiting' | 'active') => ({ loginId: 'login-0001', phase, acknowledged: 1, expected: 2, waitingFor: [2] });

function routes(behaviour: { login?: () => LoginAnswer; confirmResult?: 'confirmed' | 'already-confirmed' | 'ignored' } = {}) {
  const sessions = new Map([[TOKEN, 'administrator']]);
  let t = 1_000;
  const recorded: Array<{ event: RootEvent; user: string | undefined; address: string; at?: number }> = [];
  const refused: Array<[string, string, string]> = [];
  const inner: RecordedRoutes = {
    login: {
      handle: () => {
        // The password check takes its time.
        t += 80;
        if (!behaviour.login) throw new Refusal('unauthenticated', 'wrong user name or password');
        return { json: behaviour.login() };
      },
    },
    logout: {
      handle: () => {
        sessions.delete(TOKEN);
        return { json: { loggedOut: true } };
      },
    },
    deploy: { handle: (_c, pkg) => ({ status: 202, json: { topologyId: pkg.topologyId, digest: pkg.digest } }) },
    confirmDeploy: {
      handle: () => ({
        json: { result: behaviour.confirmResult ?? 'confirmed', status: { state: 'deployed', at: 1 }, ...(behaviour.confirmResult === 'ignored' ? { reason: 'topology t1 is not\nawaiting confirmation here (idle)' } : {}) },
      }),
    },
  };
  const audited = auditedRoutes(inner, {
    record: (event, by) => recorded.push({ event, ...by }),
    refused: (user, address, refusal) => refused.push([user, address, refusal.code]),
    userOf: (token) => sessions.get(token),
    now: () => t,
  });
  return { audited, recorded, refused };
}

const attempt = { user: 'admin\u202eistrator', password: 'not this one' };

describe('the routes the audit trail records', () => {
  it.each([
    ['held at once (a lone root)', 'active', 'held'],
    ['waiting for the other roots', 'waiting', 'waiting'],
  ] as const)('records a login accepted with the lock %s, by the session’s user from its address, when it was asked for', async (_what, phase, lock) => {
    const { audited, recorded } = routes({ login: () => ({ session: TOKEN, loginId: 'login-0001', progress: progress(phase) }) });
    await audited.login.handle({ ...caller, bearer: undefined }, attempt);
    expect(recorded).toEqual([{ event: { kind: 'login', lock }, user: 'administrator', address: '192.0.2.10', at: 1_000 }]);
  });

  it('hands a refused login, as typed, to the refusal records, and refuses it still', async () => {
    const { audited, recorded, refused } = routes();
    await expect(audited.login.handle(caller, attempt)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(refused).toEqual([['admin\u202eistrator', '192.0.2.10', 'unauthenticated']]);
    expect(recorded).toEqual([]);
  });

  it('records a logout by the user the session had before it ended', async () => {
    const { audited, recorded } = routes();
    await audited.logout.handle(caller, undefined);
    expect(recorded).toEqual([{ event: { kind: 'logout' }, user: 'administrator', address: '192.0.2.10' }]);
  });

  it('records a deploy posted with its topology, digest and number of nodes', async () => {
    const { audited, recorded } = routes();
    const pkg = { topologyId: 't1', digest: `sha256:${'ab'.repeat(32)}`, nodes: { 'root-1': {}, 'root-2': {} } } as unknown as DeployPackage;
    expect(await audited.deploy.handle(caller, pkg)).toMatchObject({ status: 202 });
    expect(recorded).toEqual([{ event: { kind: 'deploy-posted', topologyId: 't1', digest: pkg.digest, nodes: 2 }, user: 'administrator', address: '192.0.2.10' }]);
  });

  it.each([
    ['confirmed', [{ kind: 'deploy-confirmed', topologyId: 't1' }]],
    ['ignored', [{ kind: 'deploy-confirmed', topologyId: 't1', reason: 'topology t1 is not awaiting confirmation here (idle)' }]],
    ['already-confirmed', []],
  ] as const)('records a confirmation %s as %j', async (result, events) => {
    const { audited, recorded } = routes({ confirmResult: result });
    await audited.confirmDeploy.handle(caller, { topologyId: 't1' });
    expect(recorded.map((r) => r.event)).toEqual(events);
  });
});
