import { describe, expect, it } from 'vitest';
import type { OverlayState, SessionView } from '../../src-shared/contract/overlayContract.ts';
import { lockProgress, screenOf } from './sessionScreen.ts';

const OVERLAY = { name: 'sandbox', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: 8 };
const state = (overlay: OverlayState['overlay'], session: SessionView): OverlayState => ({ overlay, session, status: null, deploy: null, keys: null, revision: 0 });
const OUT: SessionView = { phase: 'out', refusal: null, ended: null };
const IN: SessionView = { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false };
const loggingIn = (acknowledgedBy: string[], waitingFor: string[], expected: number) =>
  ({ phase: 'logging-in', user: 'administrator', entry: 'root-1', acknowledged: acknowledgedBy.length, expected, acknowledgedBy, waitingFor }) as const;

describe('screenOf', () => {
  it.each([
    ['nothing from main yet', null, 'connecting'],
    ['no overlay: the editor alone', state(null, OUT), 'editor'],
    ['an overlay, logged out', state(OVERLAY, OUT), 'login'],
    ['an overlay, logging in', state(OVERLAY, loggingIn([], [], 0)), 'login'],
    ['an overlay, logged in', state(OVERLAY, IN), 'editor'],
  ] as const)('%s: %s', (_what, given, want) => {
    expect(screenOf(given)).toBe(want);
  });
});

describe('lockProgress', () => {
  it('says the credentials are being checked before the lock counts anything', () => {
    expect(lockProgress(loggingIn([], [], 0))).toEqual({ headline: 'Checking the user name and password at root-1…', roots: [] });
  });

  it('lists the roots that agreed in their order, then those awaited, each once', () => {
    expect(lockProgress(loggingIn(['root-3', 'root-1'], ['root-2', 'root-3'], 3))).toEqual({
      headline: '2 of 3 roots agree that administrator holds the administrator lock',
      roots: [
        { node: 'root-3', agreed: true },
        { node: 'root-1', agreed: true },
        { node: 'root-2', agreed: false },
      ],
    });
  });
});
