import { describe, expect, it } from 'vitest';
import { AuditNoteSchema } from '../../../src-shared/protocol/audit.ts';
import type { AuditNote } from '../../../src-shared/protocol/audit.ts';
import type { DeployPlan, NodePlan } from '../deployRun/deployPlan.ts';
import type { DeployEvent, DeployOutcome, DeploySummary } from '../deployRun/runDeploy.ts';
import { deployAuditNotes } from './deployAudit.ts';

const node = (name: string, change: NodePlan['change'], files: string[] = []): NodePlan => ({ node: name, change, backend: 'dry-run', files: files.map((path) => ({ path, change: 'changed', diff: [] })) });
const PLAN: DeployPlan = {
  nodes: [node('root-1', 'changed', ['swanctl.conf', 'vyos.set']), node('leaf-1-1', 'unchanged'), node('root-2', 'added'), node('leaf-2-9', 'removed')],
  removedTunnels: [{ a: 1, b: 3, name: 'tunnel-1-3' }],
  keys: ['tunnel-1-2: pre-shared key'],
};
const summary = (fields: Partial<DeploySummary> = {}): DeploySummary => ({ topologyId: 't1', applied: ['root-1', 'leaf-1-1'], failed: [], unreachable: [], confirmed: true, ...fields });
const events = (outcome: DeployOutcome, plan: DeployPlan | null = PLAN): DeployEvent[] => [
  ...(plan === null ? [] : [{ kind: 'plan' as const, topologyId: 't1', plan }]),
  { kind: 'posted', topologyId: 't1', digest: 'sha256:x', nodes: ['root-1'] },
  { kind: 'done', outcome },
];
const valid = (notes: AuditNote[]) => notes.map((n) => AuditNoteSchema.parse(n));
const one = { index: 1, of: 1 };

describe('a deploy as the audit trail records it', () => {
  it('gives its plan and each node’s outcome', () => {
    const notes = deployAuditNotes(events({ kind: 'followed', summary: summary({ failed: [{ node: 'root-2', reason: 'apply failed:\nexit 1' }] }) }));
    expect(valid(notes)).toEqual([
      {
        kind: 'deploy-plan',
        topologyId: 't1',
        counts: { added: 1, changed: 1, unchanged: 1, removed: 1, keys: 1 },
        added: ['root-2'],
        removed: ['leaf-2-9'],
        changed: [{ node: 'root-1', files: ['swanctl.conf', 'vyos.set'] }],
        keys: ['tunnel-1-2: pre-shared key'],
        removedTunnels: ['tunnel-1-3'],
        part: one,
      },
      {
        kind: 'deploy-outcome',
        topologyId: 't1',
        result: 'followed',
        counts: { applied: 2, failed: 1, unreachable: 0 },
        confirmed: true,
        applied: ['root-1', 'leaf-1-1'],
        problems: [{ node: 'root-2', outcome: 'failed', reason: 'apply failed: exit 1' }],
        part: one,
      },
    ]);
  });

  it('says why a deploy was not confirmed', () => {
    const notes = deployAuditNotes(events({ kind: 'followed', summary: summary({ confirmed: false, notConfirmed: 'leaf-1-1 could not be reached', applied: ['root-1'], unreachable: [{ node: 'leaf-1-1', reason: 'down' }] }) }));
    expect(valid(notes)[1]).toMatchObject({ confirmed: false, reason: 'leaf-1-1 could not be reached', problems: [{ node: 'leaf-1-1', outcome: 'unreachable', reason: 'down' }] });
  });

  it.each<[string, DeployEvent[], Array<Pick<AuditNote, 'kind'>>]>([
    ['refused: nothing was sent', events({ kind: 'refused', problems: ['roots[0]: bad'] }), []],
    ['declined: nothing was sent', events({ kind: 'declined' }), []],
    ['not taken by the entry root: the plan, and why', events({ kind: 'not-posted', reason: 'root-1 did not take the deploy: conflict' }), [{ kind: 'deploy-plan' }, { kind: 'deploy-outcome' }]],
    ['not taken, with no plan to name it by', events({ kind: 'not-posted', reason: 'x' }, null), []],
    ['resumed after a restart: its outcome only', events({ kind: 'followed', summary: summary() }, null), [{ kind: 'deploy-outcome' }]],
    ['not done yet', events({ kind: 'declined' }).slice(0, -1), []],
  ])('%s', (_what, given, kinds) => {
    const notes = valid(deployAuditNotes(given));
    expect(notes.map((n) => ({ kind: n.kind }))).toEqual(kinds);
  });

  it('pages a big deploy so that each entry stays within its lists’ bounds, losing nothing', () => {
    const leaves = Array.from({ length: 1_200 }, (_, i) => `leaf-${1 + Math.floor(i / 100)}-${1 + (i % 100)}`);
    const changedNodes = leaves.slice(0, 60).map((n) => node(n, 'changed', Array.from({ length: 20 }, (_, f) => `file-${f}.conf`)));
    const plan: DeployPlan = { nodes: [...changedNodes, ...leaves.slice(60).map((n) => node(n, 'added'))], removedTunnels: [], keys: leaves.slice(0, 250).map((n) => `${n}: client-server and uplink certificates`) };
    const failed = leaves.slice(0, 30).map((n) => ({ node: n, reason: 'x'.repeat(700) }));
    const notes = valid(deployAuditNotes(events({ kind: 'followed', summary: summary({ applied: leaves.slice(30), failed }) }, plan)));
    const plans = notes.filter((n) => n.kind === 'deploy-plan');
    const outcomes = notes.filter((n) => n.kind === 'deploy-outcome');
    expect(plans.map((n) => n.part)).toEqual([1, 2, 3].map((index) => ({ index, of: 3 })));
    expect(outcomes.map((n) => n.part)).toEqual([1, 2, 3].map((index) => ({ index, of: 3 })));
    expect(plans.flatMap((n) => n.added)).toEqual(leaves.slice(60));
    expect(plans.flatMap((n) => n.changed.map((c) => c.node))).toEqual(leaves.slice(0, 60));
    expect(plans[0]!.changed[0]!.files.at(-1)).toBe('... and 5 more');
    expect(plans.flatMap((n) => n.keys)).toHaveLength(250);
    expect(outcomes.flatMap((n) => n.applied)).toEqual(leaves.slice(30));
    expect(outcomes.flatMap((n) => n.problems.map((p) => p.node))).toEqual(leaves.slice(0, 30));
    expect(outcomes[0]!.problems[0]!.reason).toHaveLength(600);
  });
});
