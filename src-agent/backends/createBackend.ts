// The agent configuration's `backend` section, and the backend it describes wired to the real host.
import { z } from 'zod';
import { isVyosCommandLine } from '../../src-shared/protocol/deployPackage.ts';
import type { Clock } from '../clock.ts';
import { createCommandRunner, withCommandPrefix, type CommandRunner } from './commandRunner.ts';
import { createDryRunBackend } from './dryRun.ts';
import { diskFileTree } from './fileTree.ts';
import { diskHostFiles } from './hostFiles.ts';
import { createLinuxBackend } from './linux.ts';
import { createOpenVpnProcesses } from './openvpnProcesses.ts';
import type { Backend } from './types.ts';
import { createVyosBackend, DEFAULT_VYOS_OWNED_SUBTREES } from './vyos.ts';

const AbsolutePath = z.string().regex(/^\//, 'expected an absolute path');

export const BackendConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('dry-run'),
    /** Where the node's files are written. */
    dir: AbsolutePath,
  }),
  z.strictObject({
    kind: z.literal('linux'),
    /** Raincoat's folder: `swanctl/` and `openvpn/` inside it. */
    root: AbsolutePath,
    /** OpenVPN pid and log files: outside `root`, whose content the backend replaces as a whole. */
    runDir: AbsolutePath.default('/run/raincoat/openvpn'),
    openvpnBinary: z.string().optional(),
    /**
     * Every program the backend runs (sysctl, swanctl, openvpn) is started through this, e.g. ["ip", "netns", "exec", "NS"]
     * for a node that is a network namespace of its host rather than the host itself (the lab's roots).
     */
    commandPrefix: z.tuple([z.string().min(1)], z.string().min(1)).optional(),
    swanctl: z
      .strictObject({
        binary: z.string().optional(),
        dir: AbsolutePath.optional(),
        strongswanConf: AbsolutePath.optional(),
        uri: z.string().optional(),
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('vyos'),
    filesDir: AbsolutePath.default('/config/auth/raincoat'),
    ownedSubtrees: z
      .array(z.string().refine((subtree) => isVyosCommandLine(`delete ${subtree}`), 'expected a VyOS path such as "interfaces openvpn"'))
      .default([...DEFAULT_VYOS_OWNED_SUBTREES]),
    configBootPath: AbsolutePath.optional(),
    workDir: AbsolutePath.optional(),
    vbash: AbsolutePath.optional(),
    group: z.string().nullable().optional(),
  }),
]);
export type BackendConfig = z.infer<typeof BackendConfigSchema>;

const inside = (folder: string, root: string) => folder === root || folder.startsWith(`${root.replace(/\/+$/, '')}/`);

/** `clock` times the commands' limits and OpenVPN's start; `runner` runs the commands (a fake one in tests). */
export function createBackend(config: BackendConfig, clock: Pick<Clock, 'now' | 'sleep' | 'setTimeout' | 'clearTimeout'>, runner: CommandRunner = createCommandRunner(clock)): Backend {
  switch (config.kind) {
    case 'dry-run':
      return createDryRunBackend({ tree: diskFileTree(config.dir) });
    case 'linux': {
      if (inside(config.runDir, config.root)) throw new Error(`backend.runDir (${config.runDir}) must not be inside backend.root (${config.root})`);
      const linuxRunner = config.commandPrefix === undefined ? runner : withCommandPrefix(config.commandPrefix, runner);
      return createLinuxBackend({
        root: config.root,
        // Folders 0700: the keys in them are root's alone (OpenVPN's user gets only its jail).
        tree: diskFileTree(config.root, { folderMode: 0o700 }),
        runner: linuxRunner,
        openvpn: createOpenVpnProcesses({
          runDir: config.runDir,
          runner: linuxRunner,
          clock,
          ...(config.openvpnBinary === undefined ? {} : { binary: config.openvpnBinary }),
        }),
        ...(config.swanctl === undefined ? {} : { swanctl: config.swanctl }),
      });
    }
    case 'vyos':
      return createVyosBackend({
        tree: diskFileTree(config.filesDir),
        host: diskHostFiles,
        runner,
        ownedSubtrees: config.ownedSubtrees,
        ...(config.configBootPath === undefined ? {} : { configBootPath: config.configBootPath }),
        ...(config.workDir === undefined ? {} : { workDir: config.workDir }),
        ...(config.vbash === undefined ? {} : { vbash: config.vbash }),
        ...(config.group === undefined ? {} : { group: config.group }),
      });
  }
}
