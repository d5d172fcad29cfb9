// The vyos backend: backs up config.boot, applies Raincoat's set/delete lines with a vbash script, loads the backup to roll back.
import { join } from 'node:path';
import { VYOS_FIREWALL_SUBTREES } from '../../src-shared/protocol/nodeFirewall.ts';
import { configFiles } from './configFiles.ts';
import { describeFailure, type CommandRunner } from './commandRunner.ts';
import type { FileTree } from './fileTree.ts';
import type { HostFiles } from './hostFiles.ts';
import { assertBackupFor, type Backend, type Backup } from './types.ts';
import { ownedFirewallGroups } from './vyosFirewallGroups.ts';
import { renderApplyScript, renderLoadScript } from './vyosScript.ts';

export interface VyosBackendOptions {
  /** Raincoat's own files on the router (keys, certificates the commands point to), e.g. /config/auth/raincoat. */
  tree: FileTree;
  host: HostFiles;
  runner: CommandRunner;
  /**
   * Subtrees deleted before the commands run; the node's commands may add `delete` lines of their own. Raincoat's
   * firewall network groups (`raincoat-net-N`) found in config.boot are deleted too.
   */
  ownedSubtrees: readonly string[];
  configBootPath?: string;
  /** Holds the config.boot backup and, while it runs, the script. */
  workDir?: string;
  vbash?: string;
  /** VyOS wants configuration scripts run in the vyattacfg group (`sg vyattacfg -c …`); null runs vbash directly. */
  group?: string | null;
  timeoutMs?: number;
}

export const DEFAULT_VYOS_OWNED_SUBTREES = ['interfaces openvpn', 'vpn ipsec', ...VYOS_FIREWALL_SUBTREES] as const;

const ABSOLUTE_PATH = /^\/[A-Za-z0-9._/-]+$/;

export function createVyosBackend(options: VyosBackendOptions): Backend {
  const configBootPath = options.configBootPath ?? '/config/config.boot';
  const workDir = options.workDir ?? '/config/raincoat';
  const vbash = options.vbash ?? '/bin/vbash';
  const group = options.group === undefined ? 'vyattacfg' : options.group;
  for (const path of [configBootPath, workDir, vbash]) {
    // These go into scripts and a `sg -c` command line unquoted.
    if (!ABSOLUTE_PATH.test(path)) throw new Error(`vyos backend: ${JSON.stringify(path)} is not a plain absolute path`);
  }
  const backupPath = join(workDir, 'config.boot.before-deploy');
  const scriptPath = join(workDir, 'deploy.vbash');

  /** Runs a script that may hold secrets: owner-only while it exists, removed whatever happens. */
  async function runScript(what: string, script: string): Promise<void> {
    await options.host.write(scriptPath, script, 0o700);
    try {
      const [command, args] = group === null ? [vbash, [scriptPath]] : ['sg', [group, '-c', `${vbash} ${scriptPath}`]];
      const result = await options.runner(command, args, { timeoutMs: options.timeoutMs ?? 300_000 });
      if (result.code !== 0) throw new Error(describeFailure(what, result));
    } finally {
      await options.host.remove(scriptPath);
    }
  }

  /** Raincoat's firewall groups as the running configuration holds them (config.boot, saved at every commit). */
  async function currentGroups(): Promise<string[]> {
    const configBoot = await options.host.read(configBootPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return ownedFirewallGroups(configBoot);
  }

  async function applyCommands(label: string, commands: readonly string[]): Promise<void> {
    const ownedSubtrees = [...options.ownedSubtrees, ...(await currentGroups())];
    await runScript('VyOS commit', renderApplyScript({ label, ownedSubtrees, commands, configBootPath }));
  }

  return {
    name: 'vyos',
    accepts: (backend) => backend === 'vyos',
    async backup(): Promise<Backup> {
      const configBoot = await options.host.read(configBootPath);
      // A copy on disk for `load`; the text also goes into the deploy state so a restart can write it back.
      await options.host.write(backupPath, configBoot, 0o600);
      return { backend: 'vyos', files: await options.tree.read(), configBoot };
    },
    async apply(part) {
      await options.tree.write(configFiles(part.files));
      await applyCommands('apply', part.commands);
    },
    async restore(backup) {
      assertBackupFor('vyos', backup);
      if (backup.configBoot === undefined) throw new Error('this vyos backup holds no config.boot');
      await options.host.write(backupPath, backup.configBoot, 0o600);
      await options.tree.write(backup.files);
      await runScript('VyOS rollback', renderLoadScript({ label: 'rollback', backupPath, configBootPath }));
    },
    // VyOS loads config.boot, where `save` put Raincoat's configuration, when it boots.
    resume: async () => undefined,
    // Committing a configuration without the peer takes its SA down: nothing more to do.
    teardownTunnels: async () => undefined,
    async teardownAll() {
      await options.tree.write({});
      await applyCommands('teardown', []);
    },
  };
}
