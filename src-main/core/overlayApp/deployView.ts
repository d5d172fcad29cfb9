// A deploy as the application shows it, pure: the view before the first event, and each DeployEvent folded into it.
import type { DeployView } from '../../../src-shared/contract/overlayContract.ts';
import type { DeployEvent, DeployOutcome } from '../deployRun/runDeploy.ts';

export function startedDeploy(now: number): DeployView {
  return { phase: 'preparing', topologyId: null, plan: null, nodes: [], notices: [], startedAt: now, outcome: null };
}

/** What a deploy that threw (a bug, a full disk) shows: done, with why. */
export function brokenDeploy(view: DeployView, reason: string): DeployView {
  return { ...view, phase: 'done', outcome: { kind: 'failed', reason } };
}

export function deployViewStep(view: DeployView, event: DeployEvent): DeployView {
  switch (event.kind) {
    case 'notice':
      return { ...view, notices: [...view.notices, event.message] };
    case 'plan': {
      // Nodes whose files do not change are not asked to apply anything; removed ones leave.
      const nodes = event.plan.nodes.map((n) => ({ node: n.node, state: n.change === 'unchanged' ? ('unchanged' as const) : n.change === 'removed' ? ('removed' as const) : ('waiting' as const) }));
      return { ...view, phase: 'planned', topologyId: event.topologyId, plan: event.plan, nodes };
    }
    case 'posted': {
      const followed = new Set(event.nodes);
      // Every followed node waits for its report, the unchanged ones included: they too report the new topology. A
      // deploy taken up again after a restart has no plan: its nodes come from here.
      if (view.nodes.length === 0) return { ...view, phase: 'following', topologyId: event.topologyId, nodes: event.nodes.map((node) => ({ node, state: 'waiting' })) };
      return { ...view, phase: 'following', nodes: view.nodes.map((n) => (followed.has(n.node) ? { node: n.node, state: 'waiting' } : n)) };
    }
    case 'node':
      return {
        ...view,
        nodes: view.nodes.map((n) => (n.node !== event.node ? n : event.outcome === 'applied' ? { node: n.node, state: 'applied' } : { node: n.node, state: event.outcome, reason: event.reason })),
      };
    case 'confirmed':
      return view;
    case 'reverting':
      return { ...view, notices: [...view.notices, `not confirmed: ${event.reason}; every node goes back to what it ran before by itself, by about ${new Date(event.by).toISOString()}`] };
    case 'done':
      return { ...view, phase: 'done', outcome: outcomeView(event.outcome) };
  }
}

function outcomeView(outcome: DeployOutcome): NonNullable<DeployView['outcome']> {
  if (outcome.kind !== 'followed') return outcome;
  const { summary } = outcome;
  return {
    kind: 'followed',
    applied: summary.applied.length,
    failed: summary.failed.length,
    unreachable: summary.unreachable.length,
    confirmed: summary.confirmed,
    ...(summary.notConfirmed === undefined ? {} : { notConfirmed: summary.notConfirmed }),
  };
}
