// An audit entry in words, pure: when, at which root, who, from where, and what, one line each (`raincoat audit`).
import type { AuditEntry, AuditEvent } from '../protocol/audit.ts';
import { count } from '../text/count.ts';

export const AUDIT_COLUMNS = ['time', 'root', 'administrator', 'from', 'what'];

/** The entry's cells under AUDIT_COLUMNS: the time in UTC, on the recording root's clock. */
export function auditRow(entry: AuditEntry): string[] {
  return [new Date(entry.at).toISOString(), `root-${entry.root}`, entry.user ?? '-', entry.address ?? '-', describeAuditEvent(entry.event)];
}

export function describeAuditEvent(event: AuditEvent): string {
  switch (event.kind) {
    case 'login':
      return event.lock === 'held' ? 'logged in; holds the administrator lock' : 'logged in; the administrator lock asked of every live root';
    case 'login-refused': {
      const more = event.alsoRefused === 0 ? '' : `; before it, ${count(event.alsoRefused, 'refused login')} from there not recorded`;
      return `login refused (${event.refusal}): ${event.reason}${more}`;
    }
    case 'lock-held':
      return 'holds the administrator lock: every live root acknowledged';
    case 'lock-refused':
      return `did not get the administrator lock: ${event.reason}`;
    case 'logout':
      return 'logged out';
    case 'session-ended':
      return `session ended: ${event.reason}`;
    case 'deploy-posted':
      return `deploy of topology ${event.topologyId} posted, for ${count(event.nodes, 'node')}`;
    case 'deploy-confirmed':
      return `deploy of topology ${event.topologyId} confirmed${event.reason === undefined ? '' : ` (${event.reason})`}`;
    case 'deploy-plan':
      return planText(event);
    case 'deploy-outcome':
      return outcomeText(event);
    case 'psk-rotated':
      return `${event.tunnel}: pre-shared key ${event.alreadyMarked ? 'already marked' : 'marked'} for rotation at the next deploy`;
    case 'certificate-revoked':
      return `${event.subject}: ${count(event.revoked, 'certificate')} revoked by root-${event.rootId}'s CA, carried by the next deploy`;
  }
}

const partOf = (part: { index: number; of: number }) => (part.of === 1 ? '' : ` (part ${part.index} of ${part.of})`);

function planText(plan: Extract<AuditEvent, { kind: 'deploy-plan' }>): string {
  const { added, changed, unchanged, removed, keys } = plan.counts;
  const nodes = [
    ...plan.added.map((n) => `+${n}`),
    ...plan.changed.map((c) => `~${c.node}${c.files.length === 0 ? '' : ` (${c.files.join(', ')})`}`),
    ...plan.removed.map((n) => `-${n}`),
    ...plan.removedTunnels.map((t) => `-${t}`),
  ];
  return [
    `deploy plan of topology ${plan.topologyId}${partOf(plan.part)}: ${added} added, ${changed} changed, ${unchanged} unchanged, ${removed} removed, ${count(keys, 'key')} to make`,
    ...(nodes.length === 0 ? [] : [nodes.join(', ')]),
    ...(plan.keys.length === 0 ? [] : [`keys: ${plan.keys.join('; ')}`]),
  ].join('; ');
}

function outcomeText(outcome: Extract<AuditEvent, { kind: 'deploy-outcome' }>): string {
  const head = `deploy outcome of topology ${outcome.topologyId}${partOf(outcome.part)}`;
  if (outcome.result === 'not-posted') return `${head}: not posted: ${outcome.reason ?? 'no reason given'}`;
  const { applied, failed, unreachable } = outcome.counts;
  const confirmed = outcome.confirmed ? 'confirmed' : `not confirmed${outcome.reason === undefined ? '' : ` (${outcome.reason})`}`;
  return [
    `${head}: ${applied} applied, ${failed} failed, ${unreachable} unreachable; ${confirmed}`,
    ...(outcome.applied.length === 0 ? [] : [`applied: ${outcome.applied.join(', ')}`]),
    ...outcome.problems.map((p) => `${p.node} ${p.outcome}: ${p.reason}`),
  ].join('; ');
}
