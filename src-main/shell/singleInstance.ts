// One Raincoat at a time: a second launch hands over to the first (which comes to the front) and quits.
import type { App, BrowserWindow } from 'electron';

/**
 * Returns false in a second instance, which has then been told to quit and must start nothing (its lock request has
 * already woken the first). In the first, `onSecondLaunch` runs each time another launch is attempted.
 */
export function holdSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondLaunch());
  return true;
}

/** Restores a minimized window, shows a hidden one, and gives it the focus. */
export function bringForward(window: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
