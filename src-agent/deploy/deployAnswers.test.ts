import { describe, expect, it } from 'vitest';
import { buildDeployPackage, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { createManualClock, settle } from '../clock.ts';
import { Refusal } from '../wire/refusal.ts';
import { ANSWER_DEADLINE_MS } from '../wire/bytesResponder.ts';
import { getDeployHandler, type DeployAnswersOptions } from './deployAnswers.ts';
import { callGetDeploy } from './getDeploy.testkit.ts';
import { packageBytes } from './packageBytes.ts';

const makePackage = (text: string) =>
  buildDeployPackage({
    topologyId: 't1',
    createdAt: '2026-01-02T03:00:00.000Z',
    entryRootId: 1,
    nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': text.repeat(100_000) } } },
    identityKeys: {},
  });

function setup(find: DeployAnswersOptions['find'], maxAnswers = 1) {
  const clock = createManualClock(0);
  const logs: string[] = [];
  const handler = getDeployHandler({ find, bytesOf: packageBytes, clock, maxAnswers, log: (event, fields) => logs.push(`${event} ${String(fields.error)}`) });
  return { handler, clock, logs };
}

const answerJson = async (call: ReturnType<typeof callGetDeploy>) => {
  const { status, bytes } = await call.answer;
  return { status, json: JSON.parse(bytes.toString('utf8')) as unknown };
};

describe('getDeployHandler', () => {
  it('sends the package asked for, whole, in slices', async () => {
    const pkg = await makePackage('x');
    const { handler } = setup(async (wanted) => (wanted.digest === pkg.digest ? pkg : undefined));
    expect(await answerJson(callGetDeploy(handler, pkg))).toEqual({ status: 200, json: pkg });
  });

  it.each<[string, DeployAnswersOptions['find'], { topologyId: string; digest: string }, number, object]>([
    ['a package it does not have', async () => undefined, { topologyId: 't1', digest: `sha256:${'a'.repeat(64)}` }, 404, { error: 'not_found', reason: 'no package t1 with that digest here' }],
    ['a request that is not one', async () => undefined, { topologyId: 't1', digest: 'md5:0' }, 400, { error: 'malformed', reason: 'digest: expected sha256: and 64 hex digits, found "md5:0"' }],
    [
      'when finding the package fails',
      async () => {
        throw new Error('disk gone');
      },
      { topologyId: 't1', digest: `sha256:${'a'.repeat(64)}` },
      503,
      { error: 'unavailable', reason: 'internal error' },
    ],
  ])('refuses %s', async (_name, find, wanted, status, json) => {
    const t = setup(find);
    expect(await answerJson(callGetDeploy(t.handler, wanted))).toEqual({ status, json });
    expect(t.logs).toEqual(status === 503 ? ['deploy_serve_error Error: disk gone'] : []);
  });

  it('gives an unread answer up at its deadline, on the clock, and frees its slot for the next in line', async () => {
    const pkg = await makePackage('y');
    const t = setup(async () => pkg);
    const first = callGetDeploy(t.handler, pkg);
    expect((await first.answer).status).toBe(200);
    let answered = false;
    const second = callGetDeploy(t.handler, pkg);
    void second.answer.then(() => (answered = true));
    t.clock.advance(ANSWER_DEADLINE_MS - 1);
    await settle();
    expect(answered).toBe(false);
    t.clock.advance(1);
    expect((await second.answer).status).toBe(200);
  });

  it('lets a few wait their turn, serves them in order, turns away the one past them, and lets one gone leave the line', async () => {
    const pkg = await makePackage('w');
    const t = setup(async () => pkg);
    const first = callGetDeploy(t.handler, pkg);
    await first.answer;
    // Four times the one slot may wait.
    const line = [1, 2, 3, 4].map(() => callGetDeploy(t.handler, pkg));
    expect(() => callGetDeploy(t.handler, pkg)).toThrow(new Refusal('unavailable', '1 packages are being sent already and 4 wait; ask again shortly'));
    line[0]!.close();
    const fifth = callGetDeploy(t.handler, pkg);
    const order: number[] = [];
    [line[1]!, line[2]!, line[3]!, fifth].forEach((call, i) => void call.answer.then(() => order.push(i)));
    for (const call of [first, line[1]!, line[2]!, line[3]!]) {
      call.close();
      await settle();
    }
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('cancels the deadline of an answer read in time', async () => {
    const pkg: DeployPackage = await makePackage('z');
    const t = setup(async () => pkg);
    const call = callGetDeploy(t.handler, pkg);
    await call.answer;
    expect(t.clock.pending()).toBe(1);
    call.close();
    expect(t.clock.pending()).toBe(0);
  });
});
