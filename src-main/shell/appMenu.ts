// The application menu's template: File, Edit, View, Window and Help with the usual shortcuts, and macOS's app menu.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuChoices {
  platform: NodeJS.Platform;
  /** A packaged build has no developer tools in its menu. */
  packaged: boolean;
  appName: string;
  /** Help's item: opens the documentation in the system's browser. */
  openDocs(): void;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

export function appMenuTemplate(choices: MenuChoices): MenuItemConstructorOptions[] {
  const mac = choices.platform === 'darwin';
  return [
    ...(mac ? [appSubmenu(choices.appName)] : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { label: 'Edit', submenu: editItems(mac) },
    { label: 'View', submenu: viewItems(choices.packaged) },
    { label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] },
    { label: 'Help', role: 'help', submenu: [{ label: `${choices.appName} documentation`, click: () => choices.openDocs() }] },
  ];
}

/** macOS puts About, Services, Hide and Quit in a first menu named after the application. */
function appSubmenu(appName: string): MenuItemConstructorOptions {
  return {
    label: appName,
    submenu: [{ role: 'about' }, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
  };
}

/**
 * The editor binds Ctrl+Z and Ctrl+Shift+Z in the page itself (its undo history is kept by the core). On Windows and Linux a
 * registered accelerator is taken by the menu before the page sees the key, so Undo and Redo show their shortcuts
 * without registering them; on macOS the page gets the key first, and the roles must stay registered there for text
 * fields to have them at all.
 */
function editItems(mac: boolean): MenuItemConstructorOptions[] {
  const history = mac ? {} : { registerAccelerator: false };
  return [{ role: 'undo', ...history }, { role: 'redo', ...history }, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }];
}

function viewItems(packaged: boolean): MenuItemConstructorOptions[] {
  const zoom: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, separator, { role: 'togglefullscreen' }];
  return packaged ? zoom : [...zoom, separator, { role: 'toggleDevTools' }];
}
