// A deploy as the audit trail records it, pure: from its events, the plan that was approved and how each node ended, as
// the notes the application posts to the entry root (a page at a time, so that no entry outgrows a flooded message).
import { AUDIT_PAGE, auditReason } from '../../../src-shared/protocol/audit.ts';
import type { AuditNote } from '../../../src-shared/protocol/audit.ts';
import type { DeployPlan } from '../deployRun/deployPlan.ts';
import type { DeployEvent, DeployOutcome } from '../deployRun/runDeploy.ts';

type PlanNote = Extract<AuditNote, { kind: 'deploy-plan' }>;
type OutcomeNote = Extract<AuditNote, { kind: 'deploy-outcome' }>;

/** A changed node lists this many of its files at most, the last line saying how many more. */
const FILES_LISTED = 16;
const KEY_LINE_MAX = 120;

/**
 * The notes for a deploy that reached the overlay, from its events (the `plan` event and the `done` one; a resumed
 * deploy has no plan, and gets its outcome only). Nothing for a deploy refused or declined: nothing was sent.
 */
export function deployAuditNotes(events: readonly DeployEvent[]): AuditNote[] {
  const plan = events.findLast((e) => e.kind === 'plan');
  const done = events.findLast((e) => e.kind === 'done');
  if (done === undefined) return [];
  const outcome = outcomeNotes(done.outcome, plan?.topologyId);
  if (outcome.length === 0) return [];
  return [...(plan === undefined ? [] : planNotes(plan.topologyId, plan.plan)), ...outcome];
}

function planNotes(topologyId: string, plan: DeployPlan): PlanNote[] {
  const of = (change: DeployPlan['nodes'][number]['change']) => plan.nodes.filter((n) => n.change === change);
  const changed = of('changed').map((n) => ({ node: n.node, files: listedFiles(n.files.map((f) => f.path)) }));
  const lists = {
    added: pages(of('added').map((n) => n.node), AUDIT_PAGE.names),
    removed: pages(of('removed').map((n) => n.node), AUDIT_PAGE.names),
    changed: pages(changed, AUDIT_PAGE.details),
    keys: pages(plan.keys.map((k) => ascii(k, KEY_LINE_MAX)), AUDIT_PAGE.lines),
    removedTunnels: pages(plan.removedTunnels.map((t) => t.name), AUDIT_PAGE.lines),
  };
  const counts = { added: of('added').length, changed: changed.length, unchanged: of('unchanged').length, removed: of('removed').length, keys: plan.keys.length };
  return parts(Object.values(lists), (i, part) => ({
    kind: 'deploy-plan',
    topologyId,
    counts,
    added: lists.added[i] ?? [],
    removed: lists.removed[i] ?? [],
    changed: lists.changed[i] ?? [],
    keys: lists.keys[i] ?? [],
    removedTunnels: lists.removedTunnels[i] ?? [],
    part,
  }));
}

function outcomeNotes(outcome: DeployOutcome, plannedId: string | undefined): OutcomeNote[] {
  const none = { applied: 0, failed: 0, unreachable: 0 };
  if (outcome.kind === 'not-posted') {
    if (plannedId === undefined) return [];
    return [{ kind: 'deploy-outcome', topologyId: plannedId, result: 'not-posted', counts: none, confirmed: false, reason: auditReason(outcome.reason), applied: [], problems: [], part: { index: 1, of: 1 } }];
  }
  if (outcome.kind !== 'followed') return [];
  const { summary } = outcome;
  const problems = [
    ...summary.failed.map((f) => ({ node: f.node, outcome: 'failed' as const, reason: auditReason(f.reason) })),
    ...summary.unreachable.map((u) => ({ node: u.node, outcome: 'unreachable' as const, reason: auditReason(u.reason) })),
  ];
  const applied = pages(summary.applied, AUDIT_PAGE.names);
  const problemPages = pages(problems, AUDIT_PAGE.details);
  return parts([applied, problemPages], (i, part) => ({
    kind: 'deploy-outcome',
    topologyId: summary.topologyId,
    result: 'followed',
    counts: { applied: summary.applied.length, failed: summary.failed.length, unreachable: summary.unreachable.length },
    confirmed: summary.confirmed,
    ...(summary.notConfirmed === undefined ? {} : { reason: auditReason(summary.notConfirmed) }),
    applied: applied[i] ?? [],
    problems: problemPages[i] ?? [],
    part,
  }));
}

/** As many notes as the longest of the lists has pages (one at least), the i-th with each list's i-th page. */
function parts<T>(lists: ReadonlyArray<readonly unknown[]>, note: (i: number, part: { index: number; of: number }) => T): T[] {
  const of = Math.max(1, ...lists.map((l) => l.length));
  return Array.from({ length: of }, (_, i) => note(i, { index: i + 1, of }));
}

function pages<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

function listedFiles(paths: readonly string[]): string[] {
  const shown = paths.map((p) => ascii(p, 64));
  if (shown.length <= FILES_LISTED) return shown;
  return [...shown.slice(0, FILES_LISTED - 1), `... and ${shown.length - FILES_LISTED + 1} more`];
}

/** Raincoat's own text (paths, key lines) as an entry takes it: printable ASCII, cut to `max`. */
function ascii(text: string, max: number): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, max) || '?';
}
