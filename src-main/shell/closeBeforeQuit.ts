// Quitting waits for the application to close (it logs out of the overlay, releasing the administrator lock), within a time limit.
import type { App } from 'electron';
import type { Timers } from '../core/agentClient/timers.ts';

export interface CloseBeforeQuit {
  app: Pick<App, 'on' | 'quit'>;
  /** The application's close: logs out and stops the overlay's polls. */
  close(): Promise<void>;
  /** How long quitting may wait for `close`: an overlay that no longer answers must not keep the app from quitting. */
  limitMs: number;
  timers: Timers;
  log(line: string): void;
}

/**
 * Electron does not wait for a promise in 'before-quit', so the first one is held back (preventDefault) while the
 * application closes, and quitting is asked for again once it has, or the limit passed. Quit requests that arrive
 * meanwhile (a second Ctrl+Q, the last window closing) are held back too, without closing twice; the one after the
 * close goes through.
 */
export function closeBeforeQuit(wiring: CloseBeforeQuit): void {
  let phase: 'open' | 'closing' | 'closed' = 'open';
  wiring.app.on('before-quit', (event) => {
    if (phase === 'closed') return;
    event.preventDefault();
    if (phase === 'closing') return;
    phase = 'closing';
    void closeWithin(wiring).then(() => {
      phase = 'closed';
      wiring.app.quit();
    });
  });
}

async function closeWithin({ close, limitMs, timers, log }: CloseBeforeQuit): Promise<void> {
  let cancel = () => {};
  const late = new Promise<'late'>((resolve) => (cancel = timers.after(limitMs, () => resolve('late'))));
  try {
    if ((await Promise.race([close(), late])) === 'late') log(`Raincoat did not finish closing within ${limitMs / 1000} s: quitting anyway`);
  } catch (error) {
    log(`Raincoat could not close cleanly (${error instanceof Error ? error.message : String(error)}): quitting anyway`);
  } finally {
    cancel();
  }
}
