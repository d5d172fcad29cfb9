// The shell's renderer lock-down beyond webPreferences: no navigation, no new windows, no webviews, no permissions.
import type { App, Session } from 'electron';

/**
 * The application is a single page that never needs to leave itself: every navigation, window.open,
 * <webview> and permission prompt is refused rather than judged case by case.
 */
export function refuseEscapes(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export function refusePermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
