// How a finished deploy ended, in words: a headline, what else to know, and every node that failed with its reason.
import type { DeployView } from '../../src-shared/contract/overlayContract.ts';
import { count } from '../../src-shared/text/count.ts';
import type { Look } from './nodeStatus.ts';

export interface OutcomeSummary {
  tone: Look['tone'];
  headline: string;
  /** Further lines: the problems a refused deploy had, why it was not confirmed. */
  details: string[];
  /** Nodes that failed or could not be reached, with why. */
  failures: { node: string; state: 'failed' | 'unreachable'; reason: string }[];
}

/** Null until the deploy is done. */
export function summarizeOutcome(deploy: DeployView): OutcomeSummary | null {
  const outcome = deploy.outcome;
  if (deploy.phase !== 'done' || outcome === null) return null;
  const none = { details: [], failures: [] };
  switch (outcome.kind) {
    case 'refused':
      return { tone: 'bad', headline: 'The deploy was refused; nothing was sent.', details: outcome.problems, failures: [] };
    case 'declined':
      return { tone: 'idle', headline: 'The deploy was cancelled; nothing was sent.', ...none };
    case 'not-posted':
      return { tone: 'bad', headline: `The deploy was not sent: ${outcome.reason}`, ...none };
    case 'failed':
      return { tone: 'bad', headline: `The deploy failed: ${outcome.reason}`, ...none };
    case 'followed': {
      const failures = deploy.nodes.flatMap((n) =>
        n.state === 'failed' || n.state === 'unreachable' ? [{ node: n.node, state: n.state, reason: n.reason ?? (n.state === 'failed' ? 'no reason given' : 'it did not answer') }] : [],
      );
      const details = outcome.confirmed
        ? []
        : [`Not confirmed (${outcome.notConfirmed ?? 'not every node could be reached'}): every node goes back to what it ran before, by itself.`];
      if (outcome.failed === 0 && outcome.unreachable === 0 && outcome.confirmed) {
        return { tone: 'good', headline: `Every node runs the new topology (${outcome.applied} applied).`, details, failures };
      }
      const trouble = [outcome.failed > 0 ? `${outcome.failed} failed` : '', outcome.unreachable > 0 ? `${outcome.unreachable} could not be reached` : ''].filter((s) => s !== '');
      const headline = `${count(outcome.applied, 'node')} applied the new topology${trouble.length > 0 ? `; ${trouble.join(', ')}` : ''}.`;
      return { tone: outcome.confirmed ? 'warn' : 'bad', headline, details, failures };
    }
  }
}
