import { describe, expect, it } from 'vitest';
import type { DeployPlan } from '../deployRun/deployPlan.ts';
import type { DeployEvent } from '../deployRun/runDeploy.ts';
import { brokenDeploy, deployViewStep, startedDeploy } from './deployView.ts';

const plan: DeployPlan = {
  nodes: [
    { node: 'root-1', change: 'changed', backend: 'dry-run', files: [{ path: 'a.conf', change: 'changed', diff: ['-x', '+y'] }] },
    { node: 'leaf-1-1', change: 'unchanged', backend: 'dry-run', files: [] },
    { node: 'root-2', change: 'removed', backend: 'dry-run', files: [] },
  ],
  removedTunnels: [],
  keys: [],
};
const fold = (events: DeployEvent[]) => events.reduce(deployViewStep, startedDeploy(1_000));
const states = (events: DeployEvent[]) => fold(events).nodes.map((n) => `${n.node} ${n.state}${n.reason ? ` (${n.reason})` : ''}`);

describe('a deploy as the application shows it', () => {
  it('marks what the plan leaves alone, then waits for every followed node, unchanged ones included', () => {
    expect(states([{ kind: 'plan', topologyId: 't', plan }])).toEqual(['root-1 waiting', 'leaf-1-1 unchanged', 'root-2 removed']);
    expect(states([{ kind: 'plan', topologyId: 't', plan }, { kind: 'posted', topologyId: 't', digest: 'd', nodes: ['root-1', 'leaf-1-1'] }])).toEqual(['root-1 waiting', 'leaf-1-1 waiting', 'root-2 removed']);
  });

  it('tells each node as it reports, a failure with its reason', () => {
    const events: DeployEvent[] = [
      { kind: 'plan', topologyId: 't', plan },
      { kind: 'posted', topologyId: 't', digest: 'd', nodes: ['root-1', 'leaf-1-1'] },
      { kind: 'node', node: 'root-1', outcome: 'failed', reason: 'swanctl refused it' },
      { kind: 'node', node: 'leaf-1-1', outcome: 'applied' },
    ];
    expect(states(events)).toEqual(['root-1 failed (swanctl refused it)', 'leaf-1-1 applied', 'root-2 removed']);
    expect(fold(events).phase).toBe('following');
  });

  it('takes its nodes from the post when a deploy is taken up again without its plan', () => {
    const view = fold([{ kind: 'posted', topologyId: 't', digest: 'd', nodes: ['root-1', 'leaf-1-1'] }]);
    expect(view).toMatchObject({ phase: 'following', topologyId: 't', plan: null });
    expect(view.nodes).toEqual([{ node: 'root-1', state: 'waiting' }, { node: 'leaf-1-1', state: 'waiting' }]);
  });

  it('ends with a summary, a revert as a notice, and a broken run with why', () => {
    const done = fold([
      { kind: 'reverting', topologyId: 't', reason: 'root-2 could not be reached', by: Date.parse('2026-12-07T12:10:00Z') },
      { kind: 'done', outcome: { kind: 'followed', summary: { topologyId: 't', applied: ['root-1'], failed: [], unreachable: [{ node: 'root-2', reason: 'down' }], confirmed: false, notConfirmed: 'root-2 could not be reached' } } },
    ]);
    expect(done.phase).toBe('done');
    expect(done.outcome).toEqual({ kind: 'followed', applied: 1, failed: 0, unreachable: 1, confirmed: false, notConfirmed: 'root-2 could not be reached' });
    expect(done.notices).toEqual(['not confirmed: root-2 could not be reached; every node goes back to what it ran before by itself, by about 2026-12-07T12:10:00.000Z']);
    expect(brokenDeploy(startedDeploy(0), 'disk full')).toMatchObject({ phase: 'done', outcome: { kind: 'failed', reason: 'disk full' } });
  });
});
