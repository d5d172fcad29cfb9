import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { BackendConfigSchema, createBackend } from './createBackend.ts';
import { fakeRunner } from './fakes.testkit.ts';

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
      ownedSubtrees: ['interfaces openvpn', 'vpn ipsec', 'firewall ipv4 input filter', 'firewall ipv4 forward filter'],
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
    [{ kind: 'linux', root: '/r', commandPrefix: [] }, /commandPrefix/],
    [{ kind: 'linux', root: '/r', commandPrefix: ['ip', ''] }, /commandPrefix/],
  ])('refuses %j', (config, problem) => {
    const result = BackendConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(problem);
  });
});

describe('createBackend', () => {
  it('builds a dry-run backend that writes to its folder on disk', async () => {
    const backend = createBackend(BackendConfigSchema.parse({ kind: 'dry-run', dir: join(dir, 'out') }), systemClock);
    await backend.apply({ files: { 'a/b.conf': { content: 'x', mode: 0o600 } }, commands: [] });
    expect(await readFile(join(dir, 'out/a/b.conf'), 'utf8')).toBe('x');
    expect((await stat(join(dir, 'out/a/b.conf'))).mode & 0o777).toBe(0o600);
  });

  it('builds a linux backend that reloads swanctl through the given runner', async () => {
    const runner = fakeRunner();
    const backend = createBackend(
      BackendConfigSchema.parse({ kind: 'linux', root: join(dir, 'root'), runDir: join(dir, 'run'), swanctl: { uri: 'unix:///x.vici' } }),
      systemClock,
      runner.run,
    );
    await backend.apply({ files: { 'swanctl/swanctl.conf': { content: 'connections {}\n', mode: 0o600 } }, commands: [] });
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['swanctl', '--load-all', '--noprompt', '--uri', 'unix:///x.vici'],
      ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'],
    ]);
    await backend.resume();
    expect(runner.calls).toHaveLength(4);
  });

  it('starts every program of a linux backend through the command prefix, OpenVPN included', async () => {
    const runner = fakeRunner((call) => (call.args.includes('--daemon') ? { code: 1, stderr: 'Options error: stop here' } : {}));
    const config = BackendConfigSchema.parse({
      kind: 'linux',
      root: join(dir, 'root'),
      runDir: join(dir, 'run'),
      commandPrefix: ['ip', 'netns', 'exec', 'rc-root-1'],
      swanctl: { uri: 'unix:///x.vici' },
    });
    const backend = createBackend(config, systemClock, runner.run);
    const swanctlConf = { content: 'connections {}\n', mode: 0o600 };
    await backend.apply({ files: { 'swanctl/swanctl.conf': swanctlConf }, commands: [] });
    await expect(backend.apply({ files: { 'swanctl/swanctl.conf': swanctlConf, 'openvpn/uplink.conf': { content: 'dev tun\n', mode: 0o644 } }, commands: [] })).rejects.toThrow(
      /openvpn uplink failed \(exit 1\): Options error: stop here/,
    );
    expect(runner.calls.map((c) => [c.command, ...c.args.slice(0, 5)])).toEqual([
      ['ip', 'netns', 'exec', 'rc-root-1', 'swanctl', '--load-all'],
      ['ip', 'netns', 'exec', 'rc-root-1', 'sysctl', '-q'],
      ['ip', 'netns', 'exec', 'rc-root-1', 'openvpn', '--config'],
    ]);
    expect(runner.calls[0]?.options?.env).toEqual({ SWANCTL_DIR: join(dir, 'root', 'swanctl') });
  });

  it('refuses OpenVPN run files inside the folder whose content it replaces', () => {
    expect(() => createBackend(BackendConfigSchema.parse({ kind: 'linux', root: '/etc/raincoat', runDir: '/etc/raincoat/run' }), systemClock)).toThrow(
      /must not be inside backend.root/,
    );
  });
});
