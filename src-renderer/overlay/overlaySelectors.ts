// Selectors of the overlay store, declared once at module scope so React compares stable functions; each returns a part
// of the state as stored or a primitive, so zustand never sees a new object for an unchanged state.
import { canStartDeploy, deployPlace, editingBlocked } from './deployProgress.ts';
import type { OverlayStoreState } from './overlayStore.ts';
import { keysPrompt } from './keysPrompt.ts';
import { screenOf } from './sessionScreen.ts';

export const selectOverlayActions = (s: OverlayStoreState) => s.actions;
export const selectOverlayInfo = (s: OverlayStoreState) => s.server?.overlay ?? null;
export const selectSession = (s: OverlayStoreState) => s.server?.session ?? null;
export const selectStatus = (s: OverlayStoreState) => s.server?.status ?? null;
/** Whether the overlay's status was read: a root missing from it is then not deployed yet. */
export const selectHasStatus = (s: OverlayStoreState) => (s.server?.status ?? null) !== null;
export const selectDeploy = (s: OverlayStoreState) => s.server?.deploy ?? null;
export const selectOverlayFailure = (s: OverlayStoreState) => s.failure;
export const selectOverlayNotice = (s: OverlayStoreState) => s.notice;
export const selectLoggedIn = (s: OverlayStoreState) => s.server?.session.phase === 'in';
export const selectBusy = (s: OverlayStoreState) => s.busy;
export const selectScreen = (s: OverlayStoreState) => screenOf(s.server);
export const selectEditingBlocked = (s: OverlayStoreState) => editingBlocked(s.server);
export const selectCanStartDeploy = (s: OverlayStoreState) => canStartDeploy(s.server) && !s.busy;
export const selectDeployPlace = (s: OverlayStoreState) => deployPlace(s.server?.deploy ?? null, s.closedDeploy);
export const selectRootStatus = (s: OverlayStoreState) => s.rootStatus;
export const selectKeysNeed = (s: OverlayStoreState) => keysPrompt(s.server);
