import { describe, expect, it } from 'vitest';
import { fakeRunner, memoryFileTree, memoryHostFiles, type RecordedCommand } from './fakes.testkit.ts';
import { createVyosBackend, DEFAULT_VYOS_OWNED_SUBTREES } from './vyos.ts';
import { renderApplyScript, renderLoadScript } from './vyosScript.ts';

const CONFIG_BOOT = 'interfaces {\n    ethernet eth0 {\n    }\n}\n';
const SCRIPT = '/config/raincoat/deploy.vbash';

describe('renderApplyScript', () => {
  it('deletes the owned subtrees, sets the lines, commits and saves, through the script template', () => {
    const script = renderApplyScript({
      label: '2026-01-02T03:04:05.000Z',
      ownedSubtrees: ['interfaces openvpn', 'vpn ipsec'],
      commands: ["set interfaces openvpn vtun10 mode 'server'", 'delete vpn ipsec site-to-site peer old', "set vpn ipsec authentication psk tunnel-1-2 secret 'x'"],
      configBootPath: '/config/config.boot',
    });
    expect(script).toBe(
      [
        '#!/bin/vbash',
        'source /opt/vyatta/etc/functions/script-template',
        '# Raincoat deploy 2026-01-02T03:04:05.000Z: written by the agent and removed once it has run.',
        'fail() { echo "raincoat: $1 failed" >&2; exit; builtin exit 1; }',
        'configure',
        'delete interfaces openvpn >/dev/null 2>&1 || true',
        'delete vpn ipsec >/dev/null 2>&1 || true',
        "set interfaces openvpn vtun10 mode 'server' || fail 'command 1'",
        'delete vpn ipsec site-to-site peer old >/dev/null 2>&1 || true',
        "set vpn ipsec authentication psk tunnel-1-2 secret 'x' || fail 'command 3'",
        "commit || fail 'commit'",
        "save /config/config.boot || fail 'save'",
        'exit',
        '',
      ].join('\n'),
    );
  });

  it.each([["set a 'b'; reboot"], ['set a $(reboot)'], ['run reboot'], ["set a 'b\nreboot'"]])('refuses %j without echoing it', (line) => {
    expect(() => renderApplyScript({ label: 'x', ownedSubtrees: [], commands: [line], configBootPath: '/config/config.boot' })).toThrow(
      /not a VyOS set\/delete line/,
    );
  });

  it('renders the load script used to roll back', () => {
    expect(renderLoadScript({ label: 'rollback', backupPath: '/config/raincoat/b', configBootPath: '/config/config.boot' })).toContain(
      "configure\nload /config/raincoat/b || fail 'load'\ncommit || fail 'commit'\nsave /config/config.boot || fail 'save'\nexit\n",
    );
  });
});

function setup(respond?: (call: RecordedCommand, script: string) => { code?: number; stderr?: string }) {
  const tree = memoryFileTree({ 'old.pem': { content: 'OLD', mode: 0o600 } });
  const host = memoryHostFiles({ '/config/config.boot': CONFIG_BOOT });
  const scripts: { mode: number; text: string }[] = [];
  const runner = fakeRunner((call) => {
    const script = host.files.get(SCRIPT);
    if (!script) throw new Error('script missing while it runs');
    scripts.push({ mode: script.mode, text: script.content });
    return respond?.(call, script.content) ?? {};
  });
  const backend = createVyosBackend({ tree, host, runner: runner.run, ownedSubtrees: ['interfaces openvpn'] });
  return { tree, host, runner, scripts, backend };
}

describe('vyos backend', () => {
  it('backs up config.boot beside it and in the backup, then applies through sg vyattacfg and removes the script', async () => {
    const { tree, host, runner, scripts, backend } = setup();
    const backup = await backend.backup();
    expect(backup).toEqual({ backend: 'vyos', files: { 'old.pem': { content: 'OLD', mode: 0o600 } }, configBoot: CONFIG_BOOT });
    expect(host.files.get('/config/raincoat/config.boot.before-deploy')).toEqual({ content: CONFIG_BOOT, mode: 0o600 });

    await backend.apply({ files: { 'ca.pem': { content: 'CA', mode: 0o644 }, 'enrollment/ca.key': { content: 'CA KEY', mode: 0o600 } }, commands: ["set interfaces openvpn vtun10 mode 'server'"] });
    expect(tree.files).toEqual({ 'ca.pem': { content: 'CA', mode: 0o644 } });
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([['sg', 'vyattacfg', '-c', `/bin/vbash ${SCRIPT}`]]);
    expect(scripts[0]?.mode).toBe(0o700);
    expect(scripts[0]?.text).toContain("delete interfaces openvpn >/dev/null 2>&1 || true\nset interfaces openvpn vtun10 mode 'server' || fail 'command 1'");
    expect(host.files.has(SCRIPT)).toBe(false);
  });

  it('fails with VyOS’s complaint and still removes the script, which holds secrets', async () => {
    const { host, backend } = setup(() => ({ code: 1, stderr: 'Commit failed\nraincoat: commit failed\n' }));
    await expect(backend.apply({ files: {}, commands: ["set vpn ipsec authentication psk p secret 'S3CRET'"] })).rejects.toThrow(
      'VyOS commit failed (exit 1): Commit failed / raincoat: commit failed',
    );
    expect(host.files.has(SCRIPT)).toBe(false);
  });

  it('rolls back by writing the backup back, loading it, committing and saving', async () => {
    const { tree, host, scripts, backend } = setup();
    const backup = await backend.backup();
    await backend.apply({ files: {}, commands: ["set interfaces openvpn vtun10 mode 'server'"] });
    host.files.delete('/config/raincoat/config.boot.before-deploy');
    await backend.restore(backup);
    expect(host.files.get('/config/raincoat/config.boot.before-deploy')?.content).toBe(CONFIG_BOOT);
    expect(tree.files).toEqual(backup.files);
    expect(scripts[1]?.text).toContain("configure\nload /config/raincoat/config.boot.before-deploy || fail 'load'\ncommit || fail 'commit'");
    await expect(backend.restore({ backend: 'vyos', files: {} })).rejects.toThrow(/no config.boot/);
  });

  it('tears down by deleting the owned subtrees alone', async () => {
    const { tree, scripts, backend } = setup();
    await backend.teardownAll();
    expect(tree.files).toEqual({});
    expect(scripts[0]?.text).toContain("configure\ndelete interfaces openvpn >/dev/null 2>&1 || true\ncommit || fail 'commit'");
  });

  it('runs vbash directly when no group is wanted, and refuses paths it cannot put in a script', async () => {
    const runner = fakeRunner();
    const host = memoryHostFiles();
    const backend = createVyosBackend({ tree: memoryFileTree(), host, runner: runner.run, ownedSubtrees: [], group: null });
    await backend.apply({ files: {}, commands: [] });
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([['/bin/vbash', SCRIPT]]);
    expect(() => createVyosBackend({ tree: memoryFileTree(), host, runner: runner.run, ownedSubtrees: [], workDir: '/tmp/a b' })).toThrow(
      /not a plain absolute path/,
    );
  });
});

describe('vyos backend and the firewall', () => {
  const WALLED = `firewall {\n    group {\n        network-group lan {\n        }\n        network-group raincoat-net-1 {\n            network "10.9.0.0/16"\n        }\n    }\n}\n`;

  it("owns the firewall's input and forward filters by default, besides OpenVPN and IPsec", () => {
    expect(DEFAULT_VYOS_OWNED_SUBTREES).toEqual(['interfaces openvpn', 'vpn ipsec', 'firewall ipv4 input filter', 'firewall ipv4 forward filter']);
  });

  it("deletes its network groups before setting them again (a set adds networks), and the administrator's never", async () => {
    const host = memoryHostFiles({ '/config/config.boot': WALLED });
    const scripts: string[] = [];
    const runner = fakeRunner(() => {
      scripts.push(host.files.get(SCRIPT)!.content);
      return {};
    });
    const backend = createVyosBackend({ tree: memoryFileTree(), host, runner: runner.run, ownedSubtrees: DEFAULT_VYOS_OWNED_SUBTREES });
    await backend.apply({ files: {}, commands: ["set firewall group network-group raincoat-net-1 network '10.1.0.0/16'"] });
    const lines = scripts[0]!.split('\n');
    expect(lines.filter((l) => l.startsWith('delete '))).toEqual([
      'delete interfaces openvpn >/dev/null 2>&1 || true',
      'delete vpn ipsec >/dev/null 2>&1 || true',
      'delete firewall ipv4 input filter >/dev/null 2>&1 || true',
      'delete firewall ipv4 forward filter >/dev/null 2>&1 || true',
      'delete firewall group network-group raincoat-net-1 >/dev/null 2>&1 || true',
    ]);
    expect(lines.indexOf("set firewall group network-group raincoat-net-1 network '10.1.0.0/16' || fail 'command 1'")).toBeGreaterThan(lines.indexOf('delete firewall group network-group raincoat-net-1 >/dev/null 2>&1 || true'));
    // Teardown takes the groups away with the filters.
    scripts.length = 0;
    await backend.teardownAll();
    expect(scripts[0]).toContain('delete firewall group network-group raincoat-net-1 >/dev/null 2>&1 || true');
  });
});
