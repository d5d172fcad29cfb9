import { describe, expect, it } from 'vitest';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { Caller } from '../wire/route.ts';
import { deployRoutes } from './deployRoutes.ts';
import type { ConfirmOutcome } from './deployStep.ts';

const CALLER: Caller = { node: undefined, bearer: 'session-token-0123456789', address: '127.0.0.1' };
const DIGEST = `sha256:${'a'.repeat(64)}`;
const getDeploy = { respond: () => undefined };

const routes = (confirmed: ConfirmOutcome) =>
  deployRoutes({ post: async (pkg) => ({ topologyId: pkg.topologyId, digest: pkg.digest }), confirm: async () => confirmed, getDeploy });

describe('deployRoutes', () => {
  it('answers a package taken with 202 and what it was', async () => {
    const answer = await routes({ result: 'confirmed', status: { state: 'deployed', at: 0 } }).deploy.handle(CALLER, { topologyId: 't1', digest: DIGEST } as DeployPackage);
    expect(answer).toEqual({ status: 202, json: { topologyId: 't1', digest: DIGEST } });
  });

  it.each<[string, ConfirmOutcome]>([
    ['a confirmation', { result: 'confirmed', status: { state: 'deployed', topologyId: 't1', at: 0 } }],
    ['a confirmation ignored, with why', { result: 'ignored', status: { state: 'failed', at: 0 }, reason: 'topology t1 is not awaiting confirmation here (failed)' }],
  ])('answers %s as the engine put it', async (_name, outcome) => {
    expect(await routes(outcome).confirmDeploy.handle(CALLER, { topologyId: 't1' })).toEqual({ json: outcome });
  });

  it('serves get_deploy with the handler it is given', () => {
    expect(routes({ result: 'remembered', status: { state: 'idle', at: 0 } }).getDeploy).toBe(getDeploy);
  });
});
