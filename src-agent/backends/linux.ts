// The linux backend: writes OpenVPN and strongSwan files into its folder, reloads swanctl and restarts only the OpenVPN
// instances that changed, and loads the node's firewall.
import { join } from 'node:path';
import { LINUX_FIREWALL_FILE } from '../../src-shared/protocol/nodeFirewall.ts';
import { configFiles } from './configFiles.ts';
import { describeFailure, type CommandRunner } from './commandRunner.ts';
import type { FileTree } from './fileTree.ts';
import { loadFirewall, removeFirewall } from './nftablesFirewall.ts';
import { prepareOpenvpnDrops } from './openvpnAccounts.ts';
import { openvpnDropOf } from './openvpnDrop.ts';
import type { OpenVpnProcesses } from './openvpnProcesses.ts';
import { assertBackupFor, SECRET_FILE_MODE, type Backend, type FileSnapshot } from './types.ts';

/**
 * Layout inside the folder, which the renderers follow:
 * - `swanctl/…`: strongSwan's swanctl folder (`swanctl/swanctl.conf` and its subfolders), loaded with `swanctl --load-all`;
 * - `openvpn/<instance>.conf`: one OpenVPN instance each, run from `openvpn/`; its own files go under `openvpn/<instance>/`.
 *   An instance that drops root (`user`, `group`, `chroot`) gets its account made and its jail handed to it first.
 * - `firewall.nft`: the node's nftables table, loaded with `nft -f`; without it, the table is deleted.
 * Files are root's and 0600 whatever the part says, folders 0700: only a jail belongs to OpenVPN's user.
 */
export interface LinuxBackendOptions {
  /** The folder the tree is rooted at, to build absolute paths for the daemons. */
  root: string;
  tree: FileTree;
  runner: CommandRunner;
  openvpn: OpenVpnProcesses;
  swanctl?: {
    binary?: string;
    /** SWANCTL_DIR; defaults to `<root>/swanctl`. */
    dir?: string;
    /** STRONGSWAN_CONF, for a charon with its own strongswan.conf (the lab's per-namespace instances). */
    strongswanConf?: string;
    /** `--uri` of charon's vici socket, e.g. unix:///run/charon.vici. */
    uri?: string;
    timeoutMs?: number;
  };
}

const SWANCTL_PREFIX = 'swanctl/';
const EMPTY_SWANCTL_CONF = '# Raincoat: no tunnels on this node.\n';
const OPENVPN_CONF = /^openvpn\/([A-Za-z0-9_-]+)\.conf$/;

export function createLinuxBackend(options: LinuxBackendOptions): Backend {
  const swanctl = options.swanctl ?? {};
  const swanctlEnv = {
    SWANCTL_DIR: swanctl.dir ?? join(options.root, 'swanctl'),
    ...(swanctl.strongswanConf === undefined ? {} : { STRONGSWAN_CONF: swanctl.strongswanConf }),
  };
  const uriArgs = swanctl.uri === undefined ? [] : ['--uri', swanctl.uri];

  async function runSwanctl(args: string[]) {
    const result = await options.runner(swanctl.binary ?? 'swanctl', [...args, ...uriArgs], { env: swanctlEnv, timeoutMs: swanctl.timeoutMs ?? 60_000 });
    // swanctl warns about every credential subfolder that does not exist; that noise would hide the real message.
    return { ...result, stderr: result.stderr.split('\n').filter((line) => !/^opening directory .* failed/.test(line)).join('\n') };
  }

  /**
   * Roots and leaves route between their tunnels, and Linux forwards IPv4 only when told to (a setting of the network
   * namespace, which is why it goes through the runner). Left on at teardown: it may have been on before Raincoat.
   */
  async function enableForwarding(): Promise<void> {
    const result = await options.runner('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1'], { timeoutMs: 10_000 });
    if (result.code !== 0) throw new Error(describeFailure('turning IPv4 forwarding on (sysctl -w net.ipv4.ip_forward=1)', result));
  }

  /**
   * Writes the files, brings OpenVPN in line, reloads strongSwan if it is involved, loads the firewall and forwards: the
   * one path for apply, restore and teardown.
   */
  async function converge(target: FileSnapshot): Promise<void> {
    const before = await options.tree.read();
    const hadTunnels = Object.keys(before).some((p) => p.startsWith(SWANCTL_PREFIX));
    const hasTunnels = Object.keys(target).some((p) => p.startsWith(SWANCTL_PREFIX));
    // With no swanctl.conf at all, --load-all would fail instead of unloading the connections that are gone.
    const files = ownerOnly(hadTunnels && !hasTunnels ? { ...target, 'swanctl/swanctl.conf': { content: EMPTY_SWANCTL_CONF, mode: SECRET_FILE_MODE } } : target);
    const changed = await options.tree.write(files);

    // OpenVPN first: a root's overlay address lives on its uplink server's device, and charon installs a CHILD_SA's route
    // from that address; without it the SA fails ("no local address found in traffic selector") and is not tried again.
    const wanted = new Set(Object.keys(files).flatMap((p) => OPENVPN_CONF.exec(p)?.[1] ?? []));
    const drops = [...wanted].flatMap((name) => openvpnDropOf(files[`openvpn/${name}.conf`]!.content) ?? []);
    await prepareOpenvpnDrops(options.runner, options.root, drops);
    const touched = (name: string) => changed.some((p) => p === `openvpn/${name}.conf` || p.startsWith(`openvpn/${name}/`));
    for (const name of await options.openvpn.running()) {
      if (!wanted.has(name) || touched(name)) await options.openvpn.stop(name);
    }
    const running = new Set(await options.openvpn.running());
    for (const name of [...wanted].sort()) {
      if (!running.has(name)) await options.openvpn.start(name, join(options.root, 'openvpn', `${name}.conf`));
    }

    if (hadTunnels || hasTunnels) {
      // Loading an unchanged configuration leaves established SAs alone.
      const result = await runSwanctl(['--load-all', '--noprompt']);
      // swanctl 5.9 exits 0 on a swanctl.conf it cannot parse, having loaded nothing from it and unloaded what was loaded
      // (charon closes those connections' SAs): only the rollback brings the tunnels back.
      const unparsable = /invalid config file/.test(result.stderr);
      if (result.code !== 0 || unparsable) throw new Error(describeFailure('swanctl --load-all', unparsable && result.code === 0 ? { ...result, code: 1 } : result));
    }
    // Once the daemons took the configuration, and before forwarding: a node forwards only behind its firewall. The
    // backup's files put the previous table back on a rollback, or delete it where there was none.
    if (files[LINUX_FIREWALL_FILE] !== undefined) await loadFirewall(options.runner, join(options.root, LINUX_FIREWALL_FILE));
    else if (before[LINUX_FIREWALL_FILE] !== undefined) await removeFirewall(options.runner);
    // Last: a configuration that fails changes nothing else on the host.
    if (Object.keys(target).length > 0) await enableForwarding();
  }

  return {
    name: 'linux',
    accepts: (backend) => backend === 'linux',
    backup: async () => ({ backend: 'linux', files: await options.tree.read() }),
    apply: (part) => converge(configFiles(part.files)),
    restore: async (backup) => {
      assertBackupFor('linux', backup);
      await converge(backup.files);
    },
    resume: async () => converge(await options.tree.read()),
    async teardownTunnels(names) {
      for (const name of names) {
        const result = await runSwanctl(['--terminate', '--ike', name, '--force', '--timeout', '5']);
        // Unloading the connection usually ended its SA already; that is the outcome we want.
        if (result.code !== 0 && !/no matching SAs/i.test(result.stdout + result.stderr)) {
          throw new Error(describeFailure(`swanctl --terminate --ike ${name}`, result));
        }
      }
    },
    teardownAll: () => converge({}),
  };
}

/** Every file root's alone: what OpenVPN reads after dropping root is handed to it separately (openvpnAccounts). */
function ownerOnly(files: FileSnapshot): FileSnapshot {
  return Object.fromEntries(Object.entries(files).map(([path, file]) => [path, { ...file, mode: SECRET_FILE_MODE }]));
}
