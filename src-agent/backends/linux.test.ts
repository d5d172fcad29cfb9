import { describe, expect, it } from 'vitest';
import { fakeOpenVpn, fakeRunner, memoryFileTree, type RecordedCommand } from './fakes.testkit.ts';
import { createLinuxBackend } from './linux.ts';
import type { FileSnapshot } from './types.ts';

const file = (content: string, mode = 0o644) => ({ content, mode });

const ROOT_FILES: FileSnapshot = {
  'swanctl/swanctl.conf': file('connections { tunnel-1-2 {} }\n', 0o600),
  'openvpn/uplink.conf': file('server 10.1.0.0 255.255.252.0\nca uplink/ca.crt\n'),
  'openvpn/uplink/ca.crt': file('CA'),
  'openvpn/clients.conf': file('server 10.1.4.0 255.255.255.128\n'),
};
/** ROOT_FILES as the backend leaves them: every file root's alone, whatever mode the part gave. */
const ON_DISK: FileSnapshot = Object.fromEntries(Object.entries(ROOT_FILES).map(([path, f]) => [path, { ...f, mode: 0o600 }]));

function setup(initial: FileSnapshot = {}, running: string[] = [], respond?: (call: RecordedCommand) => { code?: number; stdout?: string; stderr?: string }) {
  const tree = memoryFileTree(initial);
  const runner = fakeRunner(respond);
  const openvpn = fakeOpenVpn(running);
  const backend = createLinuxBackend({
    root: '/etc/raincoat',
    tree,
    runner: runner.run,
    openvpn: openvpn.processes,
    swanctl: { strongswanConf: '/lab/a/strongswan.conf', uri: 'unix:///lab/a/run/charon.vici' },
  });
  return { tree, runner, openvpn, backend };
}

const swanctlCalls = (calls: RecordedCommand[]) => calls.filter((c) => c.command === 'swanctl').map((c) => c.args.join(' '));
const FORWARDING_CALL = { command: 'sysctl', args: ['-q', '-w', 'net.ipv4.ip_forward=1'], options: { timeoutMs: 10_000 } };
const forwardingCalls = (calls: RecordedCommand[]) => calls.filter((c) => c.command === 'sysctl').length;

describe('linux backend', () => {
  it('writes no enrollment material: the agent reads it from its stored package', async () => {
    const { backend, tree } = setup();
    await backend.apply({ files: { ...ROOT_FILES, 'enrollment/ca.key': file('CA KEY', 0o600) }, commands: [] });
    expect(tree.files).toEqual(ON_DISK);
  });

  it('writes the files, loads swanctl with its folder, config and socket, and starts every OpenVPN instance', async () => {
    const { tree, runner, openvpn, backend } = setup();
    await backend.apply({ files: ROOT_FILES, commands: [] });
    expect(tree.files).toEqual(ON_DISK);
    expect(runner.calls).toEqual([
      {
        command: 'swanctl',
        args: ['--load-all', '--noprompt', '--uri', 'unix:///lab/a/run/charon.vici'],
        options: { env: { SWANCTL_DIR: '/etc/raincoat/swanctl', STRONGSWAN_CONF: '/lab/a/strongswan.conf' }, timeoutMs: 60_000 },
      },
      FORWARDING_CALL,
    ]);
    expect(openvpn.log).toEqual(['start clients /etc/raincoat/openvpn/clients.conf', 'start uplink /etc/raincoat/openvpn/uplink.conf']);
  });

  it('restarts only the OpenVPN instance whose files changed, and stops the one that went away', async () => {
    const { openvpn, backend } = setup(ON_DISK, ['clients', 'uplink', 'old']);
    await backend.apply({ files: { ...ROOT_FILES, 'openvpn/uplink/ca.crt': file('NEW CA') }, commands: [] });
    expect(openvpn.log).toEqual(['stop old', 'stop uplink', 'start uplink /etc/raincoat/openvpn/uplink.conf']);
    expect([...openvpn.running].sort()).toEqual(['clients', 'uplink']);
  });

  it('starts an instance that should run but does not, even when its files are unchanged', async () => {
    const { openvpn, backend } = setup(ON_DISK, ['clients']);
    await backend.apply({ files: ROOT_FILES, commands: [] });
    expect(openvpn.log).toEqual(['start uplink /etc/raincoat/openvpn/uplink.conf']);
  });

  it('leaves strongSwan alone on a node without tunnels (a leaf)', async () => {
    const { runner, backend } = setup();
    await backend.apply({ files: { 'openvpn/uplink-client.conf': file('client\n') }, commands: [] });
    expect(runner.calls).toEqual([FORWARDING_CALL]);
  });

  it('unloads every connection when the last tunnel goes', async () => {
    const { tree, runner, backend } = setup(ROOT_FILES, ['clients', 'uplink']);
    const { ['swanctl/swanctl.conf']: _gone, ...withoutTunnels } = ROOT_FILES;
    await backend.apply({ files: withoutTunnels, commands: [] });
    expect(tree.files['swanctl/swanctl.conf']?.content).toMatch(/no tunnels/);
    expect(swanctlCalls(runner.calls)).toEqual(['--load-all --noprompt --uri unix:///lab/a/run/charon.vici']);
  });

  it('fails with swanctl’s own words when loading fails', async () => {
    const { backend } = setup({}, [], (call) =>
      call.command === 'swanctl' ? { code: 1, stderr: "loading connection 'tunnel-1-2' failed: invalid proposal\n" } : {},
    );
    await expect(backend.apply({ files: ROOT_FILES, commands: [] })).rejects.toThrow(
      "swanctl --load-all failed (exit 1): loading connection 'tunnel-1-2' failed: invalid proposal",
    );
  });

  it('fails on a swanctl.conf that swanctl could not parse, although swanctl exits 0, and leaves out its folder noise', async () => {
    const { backend } = setup({}, [], () => ({
      code: 0,
      stdout: 'no connections found, 0 unloaded\n',
      stderr:
        "opening directory '/etc/raincoat/swanctl/x509' failed: No such file or directory\n" +
        "syntax error, unexpected end of file\ninvalid config file '/etc/raincoat/swanctl/swanctl.conf'\n" +
        "opening directory '/etc/raincoat/swanctl/pkcs12' failed: No such file or directory\n",
    }));
    await expect(backend.apply({ files: ROOT_FILES, commands: [] })).rejects.toThrow(
      "swanctl --load-all failed (exit 1): syntax error, unexpected end of file / invalid config file '/etc/raincoat/swanctl/swanctl.conf'",
    );
  });

  it('restores a backup the same way: files back, swanctl reloaded, changed instances restarted', async () => {
    const { tree, runner, openvpn, backend } = setup(ON_DISK, ['clients', 'uplink']);
    const backup = await backend.backup();
    expect(backup).toEqual({ backend: 'linux', files: ON_DISK });
    await backend.apply({ files: { ...ROOT_FILES, 'openvpn/clients.conf': file('broken') }, commands: [] });
    openvpn.log.length = 0;
    runner.calls.length = 0;
    await backend.restore(backup);
    expect(tree.files).toEqual(ON_DISK);
    expect(swanctlCalls(runner.calls)).toHaveLength(1);
    expect(openvpn.log).toEqual(['stop clients', 'start clients /etc/raincoat/openvpn/clients.conf']);
    await expect(backend.restore({ backend: 'vyos', files: {}, configBoot: '' })).rejects.toThrow(/vyos backup/);
  });

  it('terminates removed tunnels, taking "no matching SAs" as done', async () => {
    const { runner, backend } = setup({}, [], (call) =>
      call.args.includes('tunnel-1-3') ? { code: 1, stdout: 'terminate failed: no matching SAs to terminate found\n' } : {},
    );
    await backend.teardownTunnels(['tunnel-1-2', 'tunnel-1-3']);
    expect(swanctlCalls(runner.calls)).toEqual([
      '--terminate --ike tunnel-1-2 --force --timeout 5 --uri unix:///lab/a/run/charon.vici',
      '--terminate --ike tunnel-1-3 --force --timeout 5 --uri unix:///lab/a/run/charon.vici',
    ]);
  });

  it('fails a terminate that fails for another reason', async () => {
    const { backend } = setup({}, [], () => ({ code: 1, stderr: 'connecting to vici failed: No such file or directory' }));
    await expect(backend.teardownTunnels(['tunnel-1-2'])).rejects.toThrow(/connecting to vici failed/);
  });

  it('tears everything down: files gone, OpenVPN stopped, connections unloaded', async () => {
    const { tree, runner, openvpn, backend } = setup(ROOT_FILES, ['clients', 'uplink']);
    await backend.teardownAll();
    expect(Object.keys(tree.files)).toEqual(['swanctl/swanctl.conf']);
    expect(openvpn.running.size).toBe(0);
    expect(swanctlCalls(runner.calls)).toHaveLength(1);
  });

  it('turns IPv4 forwarding on whenever it puts a configuration in place, and leaves it at teardown', async () => {
    const { runner, backend } = setup();
    await backend.apply({ files: ROOT_FILES, commands: [] });
    const backup = await backend.backup();
    await backend.resume();
    await backend.restore(backup);
    expect(forwardingCalls(runner.calls)).toBe(3);
    await backend.teardownAll();
    await backend.restore({ backend: 'linux', files: {} });
    expect(forwardingCalls(runner.calls)).toBe(3);
  });

  it('fails the apply when forwarding cannot be turned on', async () => {
    const { backend } = setup({}, [], (call) => (call.command === 'sysctl' ? { code: 255, stderr: 'sysctl: permission denied on key "net.ipv4.ip_forward"' } : {}));
    await expect(backend.apply({ files: ROOT_FILES, commands: [] })).rejects.toThrow(
      'turning IPv4 forwarding on (sysctl -w net.ipv4.ip_forward=1) failed (exit 255): sysctl: permission denied on key "net.ipv4.ip_forward"',
    );
  });

  it('starts OpenVPN before loading swanctl, and forwards only once both took the configuration', async () => {
    const order: string[] = [];
    const tree = memoryFileTree();
    const openvpn = fakeOpenVpn([], (name) => {
      order.push(`openvpn ${name}`);
      return false;
    });
    const runner = fakeRunner((call) => {
      order.push(call.command);
      return {};
    });
    const backend = createLinuxBackend({ root: '/r', tree, runner: runner.run, openvpn: openvpn.processes });
    await backend.apply({ files: ROOT_FILES, commands: [] });
    // A root's overlay address is on its uplink server's device; charon needs it to install the tunnel's route.
    expect(order).toEqual(['openvpn clients', 'openvpn uplink', 'swanctl', 'sysctl']);

    order.length = 0;
    const failing = createLinuxBackend({ root: '/r', tree: memoryFileTree(), runner: runner.run, openvpn: fakeOpenVpn([], () => true).processes });
    await expect(failing.apply({ files: ROOT_FILES, commands: [] })).rejects.toThrow(/did not stay up/);
    expect(order).toEqual([]);
  });

  it('passes an OpenVPN start failure on', async () => {
    const tree = memoryFileTree();
    const openvpn = fakeOpenVpn([], (name) => name === 'clients');
    const backend = createLinuxBackend({ root: '/r', tree, runner: fakeRunner().run, openvpn: openvpn.processes });
    await expect(backend.apply({ files: { 'openvpn/clients.conf': file('x') }, commands: [] })).rejects.toThrow(/clients did not stay up/);
  });
});

describe('linux backend, hardened as deploys render', () => {
  const JAIL = '/etc/raincoat/openvpn/clients/jail/client-server';
  const HARDENED: FileSnapshot = {
    'openvpn/clients.conf': file(`server 10.1.4.0 255.255.255.128\nuser raincoat-openvpn\ngroup raincoat-openvpn\nchroot ${JAIL}\n`),
    'openvpn/clients/jail/client-server/crl.pem': file('CRL'),
    'openvpn/uplink.conf': file('client\nuser raincoat-openvpn\ngroup raincoat-openvpn\n'),
    'firewall.nft': file('table inet raincoat\ndelete table inet raincoat\ntable inet raincoat {\n}\n'),
  };
  const NFT_LOAD = 'nft -f /etc/raincoat/firewall.nft';
  const NFT_DELETE = 'nft delete table inet raincoat';
  const line = (c: RecordedCommand) => [c.command, ...c.args].join(' ');

  /** One log of what runs, programs and OpenVPN starts alike; getent finds no account, `fail` makes a program fail. */
  function hardenedSetup(initial: FileSnapshot = {}, fail: (call: RecordedCommand) => boolean = () => false) {
    const order: string[] = [];
    const tree = memoryFileTree(initial);
    const runner = fakeRunner((call) => {
      order.push(line(call));
      if (fail(call)) return { code: 1, stderr: `${call.command}: it failed` };
      return call.command === 'getent' ? { code: 2 } : {};
    });
    const openvpn = fakeOpenVpn([], (name) => {
      order.push(`start ${name}`);
      return false;
    });
    const backend = createLinuxBackend({ root: '/etc/raincoat', tree, runner: runner.run, openvpn: openvpn.processes });
    return { order, tree, runner, openvpn, backend };
  }

  it("makes OpenVPN's account and hands it its jail before starting it, loads the firewall once the daemons run and before forwarding", async () => {
    const { order, tree, backend } = hardenedSetup();
    await backend.apply({ files: HARDENED, commands: [] });
    expect(order).toEqual([
      'getent group raincoat-openvpn',
      'groupadd --system raincoat-openvpn',
      'getent passwd raincoat-openvpn',
      'useradd --system --no-create-home --shell /usr/sbin/nologin --gid raincoat-openvpn raincoat-openvpn',
      `chown -R -- raincoat-openvpn:raincoat-openvpn ${JAIL}`,
      'start clients',
      'start uplink',
      NFT_LOAD,
      'sysctl -q -w net.ipv4.ip_forward=1',
    ]);
    // Every file root's alone, the public ones too: only the jail is OpenVPN's, by owner.
    expect(Object.values(tree.files).map((f) => f.mode)).toEqual(Array(Object.keys(HARDENED).length).fill(0o600));
  });

  it('reloads the firewall on resume: nftables keeps nothing across a reboot', async () => {
    const { runner, backend } = hardenedSetup(HARDENED);
    await backend.resume();
    expect(runner.calls.map(line)).toContain(NFT_LOAD);
  });

  it('rolls back to the previous firewall, or to none: the backup’s ruleset loaded again, or the table deleted', async () => {
    const previous = { ...HARDENED, 'firewall.nft': file('table inet raincoat {\n  # the previous one\n}\n') };
    const { tree, runner, backend } = hardenedSetup(previous);
    const backup = await backend.backup();
    await backend.apply({ files: HARDENED, commands: [] });
    runner.calls.length = 0;
    await backend.restore(backup);
    expect(tree.files['firewall.nft']?.content).toContain('the previous one');
    expect(runner.calls.map(line)).toContain(NFT_LOAD);

    const bare = hardenedSetup(ON_DISK);
    const none = await bare.backend.backup();
    await bare.backend.apply({ files: HARDENED, commands: [] });
    bare.runner.calls.length = 0;
    await bare.backend.restore(none);
    expect(bare.runner.calls.map(line).filter((l) => l.startsWith('nft '))).toEqual([NFT_DELETE]);
    expect(bare.tree.files['firewall.nft']).toBeUndefined();
  });

  it('fails the apply with nft’s words when the ruleset does not load, and does not forward', async () => {
    const { order, backend } = hardenedSetup({}, (call) => call.command === 'nft');
    await expect(backend.apply({ files: HARDENED, commands: [] })).rejects.toThrow(`${NFT_LOAD} failed (exit 1): nft: it failed`);
    expect(order.filter((l) => l.startsWith('sysctl'))).toEqual([]);
  });

  it('starts no OpenVPN whose account could not be made', async () => {
    const { order, backend } = hardenedSetup({}, (call) => call.command === 'useradd');
    await expect(backend.apply({ files: HARDENED, commands: [] })).rejects.toThrow(/useradd .* failed \(exit 1\)/);
    expect(order.filter((l) => l.startsWith('start '))).toEqual([]);
  });

  it("deletes Raincoat's table at teardown, and touches nftables not at all on a node that never had a firewall", async () => {
    const walled = hardenedSetup(HARDENED);
    await walled.backend.teardownAll();
    expect(walled.runner.calls.map(line)).toEqual([NFT_DELETE]);
    const { runner, backend } = setup();
    await backend.apply({ files: ROOT_FILES, commands: [] });
    await backend.teardownAll();
    expect(runner.calls.filter((c) => c.command === 'nft')).toEqual([]);
  });
});
