// The session as the application shows it, pure: each SessionEvent of a login and of the session after it, folded in.
import type { SessionView } from '../../../src-shared/contract/overlayContract.ts';
import { rootNodeName } from '../../../src-shared/plan/nodeNames.ts';
import type { SessionEvent } from '../session/session.ts';

export const LOGGED_OUT: SessionView = { phase: 'out', refusal: null, ended: null };

export function sessionViewStep(view: SessionView, event: SessionEvent, user: string): SessionView {
  switch (event.type) {
    case 'accepted':
      return { phase: 'logging-in', user, entry: event.entry, acknowledged: 0, expected: event.progress.expected, acknowledgedBy: [], waitingFor: event.progress.waitingFor.map(rootNodeName) };
    case 'acknowledged':
    case 'no-longer-awaited':
    case 'awaiting': {
      if (view.phase !== 'logging-in') return view;
      const acknowledgedBy = event.type === 'acknowledged' && !view.acknowledgedBy.includes(event.root) ? [...view.acknowledgedBy, event.root] : view.acknowledgedBy;
      return { ...view, acknowledged: event.acknowledged, expected: event.expected, acknowledgedBy, waitingFor: event.progress.waitingFor.map(rootNodeName) };
    }
    case 'established':
      return { phase: 'in', user, entry: event.entry, expiresAt: event.expiresAt, expiring: false };
    case 'expiring':
      return view.phase === 'in' ? { ...view, expiresAt: event.expiresAt, expiring: true } : view;
    case 'ended':
      return { phase: 'out', refusal: null, ended: event.reason };
  }
}
