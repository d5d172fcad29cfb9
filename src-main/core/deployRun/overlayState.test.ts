import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fakeAccess } from './fakeOverlay.testkit.ts';
import { appStateDir, overlayStateDir } from './overlayState.ts';

describe('the application\'s state folder', () => {
  it.each([
    { env: { XDG_STATE_HOME: '/x/state' }, dir: '/x/state/raincoat' },
    { env: { XDG_STATE_HOME: '' }, dir: join(homedir(), '.local', 'state', 'raincoat') },
    { env: {}, dir: join(homedir(), '.local', 'state', 'raincoat') },
  ])('is $dir for $env', ({ env, dir }) => {
    expect(appStateDir(env)).toBe(dir);
  });

  it('has a folder per overlay, told apart by its control CA as well as its name', () => {
    const a = fakeAccess({ 'root-1': 'dry-run' });
    const b = fakeAccess({ 'root-1': 'dry-run' });
    expect(overlayStateDir('/s', a)).toMatch(/^\/s\/overlays\/test-[0-9a-f]{12}$/);
    expect(overlayStateDir('/s', a)).not.toBe(overlayStateDir('/s', b));
    expect(overlayStateDir('/s', { ...a, name: '../my overlay' })).toMatch(/^\/s\/overlays\/_\._my_overlay-[0-9a-f]{12}$/);
  });
});
