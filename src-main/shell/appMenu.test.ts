import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from './appMenu.ts';

/** Each menu as `label: [items]`, an item as its role, its label, or '-' for a separator. */
function outline(template: MenuItemConstructorOptions[]): Record<string, string[]> {
  const name = (item: MenuItemConstructorOptions) => (item.type === 'separator' ? '-' : (item.role ?? item.label ?? '?'));
  return Object.fromEntries(template.map((menu) => [menu.label, (menu.submenu as MenuItemConstructorOptions[]).map(name)]));
}

const menuFor = (platform: NodeJS.Platform, packaged: boolean, openDocs = () => {}) => appMenuTemplate({ platform, packaged, appName: 'Raincoat', openDocs });
const itemOf = (template: MenuItemConstructorOptions[], menu: string, role: string) =>
  (template.find((m) => m.label === menu)!.submenu as MenuItemConstructorOptions[]).find((item) => item.role === role)!;

const edit = ['undo', 'redo', '-', 'cut', 'copy', 'paste', 'selectAll'];
const zoom = ['resetZoom', 'zoomIn', 'zoomOut', '-', 'togglefullscreen'];
const help = ['Raincoat documentation'];

describe('appMenuTemplate', () => {
  it.each([
    {
      platform: 'linux' as const,
      packaged: true,
      want: { File: ['quit'], Edit: edit, View: zoom, Window: ['minimize', 'close'], Help: help },
    },
    {
      platform: 'win32' as const,
      packaged: false,
      want: { File: ['quit'], Edit: edit, View: [...zoom, '-', 'toggleDevTools'], Window: ['minimize', 'close'], Help: help },
    },
    {
      platform: 'darwin' as const,
      packaged: true,
      want: {
        Raincoat: ['about', '-', 'services', '-', 'hide', 'hideOthers', 'unhide', '-', 'quit'],
        File: ['close'],
        Edit: edit,
        View: zoom,
        Window: ['minimize', 'zoom', '-', 'front'],
        Help: help,
      },
    },
  ])('on $platform, packaged $packaged', ({ platform, packaged, want }) => {
    const template = menuFor(platform, packaged);
    expect(outline(template)).toEqual(want);
    expect(Object.keys(outline(template))).toEqual(Object.keys(want));
  });

  it.each([
    { platform: 'linux' as const, registered: false },
    { platform: 'win32' as const, registered: false },
    { platform: 'darwin' as const, registered: true },
  ])('on $platform, Undo and Redo register their shortcut: $registered (the editor takes Ctrl+Z in the page)', ({ platform, registered }) => {
    const template = menuFor(platform, false);
    for (const role of ['undo', 'redo']) expect(itemOf(template, 'Edit', role).registerAccelerator ?? true).toBe(registered);
    expect(itemOf(template, 'Edit', 'copy').registerAccelerator).toBeUndefined();
  });

  it('opens the documentation from Help', () => {
    let opened = 0;
    const template = menuFor('linux', true, () => opened++);
    const helpMenu = template.find((m) => m.label === 'Help')!;
    expect(helpMenu.role).toBe('help');
    const docs = (helpMenu.submenu as MenuItemConstructorOptions[])[0]!;
    docs.click!(undefined as never, undefined, undefined as never);
    expect(opened).toBe(1);
  });
});
