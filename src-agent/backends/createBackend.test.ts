import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendConfigSchema, createBackend } from './createBackend.ts';
import { fakeRunner } from './fakes.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-backend-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('BackendConfigSchema', () => {
  it('fills the defaults of each kind', () => {
    expect(BackendConfigSchema.parse({ kind: 'vyos' })).toEqual({
      kind: 'vyos',
      filesDir: '/config/auth/raincoat',
      ownedSubtrees: ['interfaces openvpn', 'vpn ipsec'],
    });
    expect(BackendConfigSchema.parse({ kind: 'linux', root: '/etc/raincoat' })).toEqual({
      kind: 'linux',
      root: '/etc/raincoat',
      runDir: '/run/raincoat/openvpn',
    });
  });

  it.each([
    [{ kind: 'junos' }, /kind/],
    [{ kind: 'dry-run', dir: 'relative' }, /absolute path/],
    [{ kind: 'linux', root: '/r', extra: 1 }, /extra|Unrecognized/i],
    [{ kind: 'vyos', ownedSubtrees: ['vpn ipsec; reboot'] }, /expected a VyOS path/],
  ])('refuses %j', (config, problem) => {
    const result = BackendConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(problem);
  });
});

describe('createBackend', () => {
  it('builds a dry-run backend that writes to its folder on disk', async () => {
    const backend = createBackend(BackendConfigSchema.parse({ kind: 'dry-run', dir: join(dir, 'out') }));
    await backend.apply({ files: { 'a/b.conf': { content: 'x', mode: 0o600 } }, commands: [] });
    expect(await readFile(join(dir, 'out/a/b.conf'), 'utf8')).toBe('x');
    expect((await stat(join(dir, 'out/a/b.conf'))).mode & 0o777).toBe(0o600);
  });

  it('builds a linux backend that reloads swanctl through the given runner', async () => {
    const runner = fakeRunner();
    const backend = createBackend(
      BackendConfigSchema.parse({ kind: 'linux', root: join(dir, 'root'), runDir: join(dir, 'run'), swanctl: { uri: 'unix:///x.vici' } }),
      runner.run,
    );
    await backend.apply({ files: { 'swanctl/swanctl.conf': { content: 'connections {}\n', mode: 0o600 } }, commands: [] });
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([['swanctl', '--load-all', '--noprompt', '--uri', 'unix:///x.vici']]);
    await backend.resume();
    expect(runner.calls).toHaveLength(2);
  });

  it('refuses OpenVPN run files inside the folder whose content it replaces', () => {
    expect(() => createBackend(BackendConfigSchema.parse({ kind: 'linux', root: '/etc/raincoat', runDir: '/etc/raincoat/run' }))).toThrow(
      /must not be inside backend.root/,
    );
  });
});
