// The dry-run backend: writes a node's files (and its VyOS lines, if any) into a folder and touches nothing else.
import type { FileTree } from './fileTree.ts';
import { assertBackupFor, SECRET_FILE_MODE, type Backend, type FileSnapshot } from './types.ts';

/** Where the VyOS lines go; package paths cannot start with a dot, so it never collides with a node's file. */
export const DRY_RUN_COMMANDS_FILE = '.raincoat-commands';

export function createDryRunBackend(options: { tree: FileTree }): Backend {
  return {
    name: 'dry-run',
    accepts: () => true,
    backup: async () => ({ backend: 'dry-run', files: await options.tree.read() }),
    async apply(part) {
      const files: FileSnapshot = { ...part.files };
      // The lines may carry secrets, hence the mode.
      if (part.commands.length > 0) files[DRY_RUN_COMMANDS_FILE] = { content: `${part.commands.join('\n')}\n`, mode: SECRET_FILE_MODE };
      await options.tree.write(files);
    },
    async restore(backup) {
      assertBackupFor('dry-run', backup);
      await options.tree.write(backup.files);
    },
    resume: async () => undefined,
    teardownTunnels: async () => undefined,
    teardownAll: async () => {
      await options.tree.write({});
    },
  };
}
