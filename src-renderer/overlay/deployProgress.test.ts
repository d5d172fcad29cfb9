import { describe, expect, it } from 'vitest';
import type { DeployView, OverlayState } from '../../src-shared/contract/overlayContract.ts';
import type { DeployNodeState } from './deployProgress.ts';
import { canStartDeploy, deployPlace, deployUnderWay, editingBlocked, progressByRoot, reportedText } from './deployProgress.ts';

const deploy = (phase: DeployView['phase'], nodes: [string, DeployNodeState][] = []): DeployView => ({
  phase,
  topologyId: phase === 'preparing' ? null : 't2',
  plan: null,
  nodes: nodes.map(([node, state]) => ({ node, state })),
  notices: [],
  startedAt: 500,
  outcome: phase === 'done' ? { kind: 'declined' } : null,
});
const state = (session: OverlayState['session'], current: DeployView | null): OverlayState => ({
  overlay: { name: 'sandbox', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: 8 },
  session,
  status: null,
  deploy: current,
  keys: 'open',
  revision: 1,
});
const IN: OverlayState['session'] = { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false };
const OUT: OverlayState['session'] = { phase: 'out', refusal: null, ended: null };

describe('a deploy under way', () => {
  it.each([
    [null, false, true],
    [deploy('preparing'), true, false],
    [deploy('planned'), true, false],
    [deploy('following'), true, false],
    [deploy('done'), false, true],
  ])('%#: under way %j, another may start %j', (current, underWay, mayStart) => {
    expect(deployUnderWay(current)).toBe(underWay);
    expect(editingBlocked(state(IN, current))).toBe(underWay ? 'A deploy is under way: editing is blocked until it is done.' : null);
    expect(canStartDeploy(state(IN, current))).toBe(mayStart);
  });

  it('needs a session to start', () => {
    expect(canStartDeploy(state(OUT, null))).toBe(false);
    expect(canStartDeploy(null)).toBe(false);
    expect(editingBlocked(null)).toBeNull();
  });
});

describe('deployPlace', () => {
  it.each([
    [null, null, null],
    [deploy('preparing'), 500, 'dialog'],
    [deploy('planned'), null, 'dialog'],
    [deploy('following'), 500, 'panel'],
    [deploy('done'), null, 'panel'],
    [deploy('done'), 499, 'panel'],
    [deploy('done'), 500, null],
  ] as const)('%#: %j closed at %j is shown in %j', (current, closedAt, want) => {
    expect(deployPlace(current, closedAt)).toBe(want);
  });
});

describe('progress', () => {
  const following = deploy('following', [
    ['root-1', 'applied'],
    ['leaf-1-1', 'applied'],
    ['leaf-1-2', 'waiting'],
    ['root-2', 'failed'],
    ['root-3', 'waiting'],
    ['leaf-3-1', 'unreachable'],
    ['leaf-4-1', 'removed'],
  ]);

  it('counts every node that reported, removed ones aside', () => {
    expect(reportedText(following)).toBe('4 of 6 nodes reported');
    expect(reportedText(deploy('following', [['root-1', 'waiting']]))).toBe('0 of 1 node reported');
  });

  it('gives each root its state and its leaves applied', () => {
    expect(Object.fromEntries(progressByRoot(following))).toEqual({
      'root-1': { state: 'applied', leavesText: '1 of 2 leaves applied' },
      'root-2': { state: 'failed', leavesText: '' },
      'root-3': { state: 'waiting', leavesText: '0 of 1 leaf applied' },
      'root-4': { state: undefined, leavesText: '0 of 1 leaf applied' },
    });
  });
});
