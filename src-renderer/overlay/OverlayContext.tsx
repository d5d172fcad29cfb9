// Hands the overlay store to the component tree; `useOverlay(selector)` is how components read it.
import { createStoreContext } from '../store/storeContext.tsx';
import type { OverlayStoreState } from './overlayStore.ts';

const context = createStoreContext<OverlayStoreState>('useOverlay');

export const OverlayProvider = context.Provider;
export const useOverlay = context.use;
