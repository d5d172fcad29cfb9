import { describe, expect, it } from 'vitest';
import type { DeployView } from '../../src-shared/contract/overlayContract.ts';
import { summarizeOutcome } from './deployOutcome.ts';

const done = (outcome: DeployView['outcome'], nodes: DeployView['nodes'] = []): DeployView => ({
  phase: 'done',
  topologyId: 't2',
  plan: null,
  nodes,
  notices: [],
  startedAt: 1,
  outcome,
});
const followed = { kind: 'followed', applied: 8, failed: 0, unreachable: 0, confirmed: true } as const;

describe('summarizeOutcome', () => {
  it('says nothing before the deploy is done', () => {
    expect(summarizeOutcome({ ...done(null), phase: 'following' })).toBeNull();
  });

  it.each([
    {
      what: 'refused, with each problem',
      deploy: done({ kind: 'refused', problems: ['leaf-1-3: overlay "sandbox" has no agent for it; install its agent first'] }),
      want: { tone: 'bad', headline: 'The deploy was refused; nothing was sent.', details: ['leaf-1-3: overlay "sandbox" has no agent for it; install its agent first'], failures: [] },
    },
    { what: 'declined', deploy: done({ kind: 'declined' }), want: { tone: 'idle', headline: 'The deploy was cancelled; nothing was sent.', details: [], failures: [] } },
    {
      what: 'not posted, with why',
      deploy: done({ kind: 'not-posted', reason: 'root-1 refused the package: session expired' }),
      want: { tone: 'bad', headline: 'The deploy was not sent: root-1 refused the package: session expired', details: [], failures: [] },
    },
    { what: 'broken', deploy: done({ kind: 'failed', reason: 'disk full' }), want: { tone: 'bad', headline: 'The deploy failed: disk full', details: [], failures: [] } },
    {
      what: 'every node applied',
      deploy: done(followed, [{ node: 'root-1', state: 'applied' }]),
      want: { tone: 'good', headline: 'Every node runs the new topology (8 applied).', details: [], failures: [] },
    },
    {
      what: 'some nodes failed or could not be reached, confirmed for the rest',
      deploy: done({ ...followed, applied: 6, failed: 1, unreachable: 1 }, [
        { node: 'root-1', state: 'applied' },
        { node: 'leaf-1-1', state: 'failed', reason: 'openvpn did not start: port 1194 in use' },
        { node: 'leaf-2-1', state: 'unreachable' },
      ]),
      want: {
        tone: 'warn',
        headline: '6 nodes applied the new topology; 1 failed, 1 could not be reached.',
        details: [],
        failures: [
          { node: 'leaf-1-1', state: 'failed', reason: 'openvpn did not start: port 1194 in use' },
          { node: 'leaf-2-1', state: 'unreachable', reason: 'it did not answer' },
        ],
      },
    },
    {
      what: 'not confirmed',
      deploy: done({ ...followed, applied: 1, unreachable: 1, confirmed: false, notConfirmed: 'root-2 did not come back' }, [{ node: 'root-2', state: 'unreachable', reason: 'no answer for 60 s' }]),
      want: {
        tone: 'bad',
        headline: '1 node applied the new topology; 1 could not be reached.',
        details: ['Not confirmed (root-2 did not come back): every node goes back to what it ran before, by itself.'],
        failures: [{ node: 'root-2', state: 'unreachable', reason: 'no answer for 60 s' }],
      },
    },
  ])('$what', ({ deploy, want }) => {
    expect(summarizeOutcome(deploy)).toEqual(want);
  });
});
