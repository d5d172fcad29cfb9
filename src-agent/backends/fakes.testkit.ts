// Fakes of the backends' edges (file tree, host files, command runner, OpenVPN processes) for unit tests.
import { changedPaths, type FileTree } from './fileTree.ts';
import type { CommandOptions, CommandResult, CommandRunner } from './commandRunner.ts';
import type { HostFiles } from './hostFiles.ts';
import type { OpenVpnProcesses } from './openvpnProcesses.ts';
import type { FileSnapshot } from './types.ts';

export function memoryFileTree(initial: FileSnapshot = {}): FileTree & { files: FileSnapshot } {
  const tree = {
    files: structuredClone(initial),
    read: async () => structuredClone(tree.files),
    write: async (target: FileSnapshot) => {
      const changed = changedPaths(tree.files, target);
      tree.files = structuredClone(target);
      return changed;
    },
  };
  return tree;
}

export function memoryHostFiles(initial: Record<string, string> = {}): HostFiles & { files: Map<string, { content: string; mode: number }> } {
  const files = new Map(Object.entries(initial).map(([path, content]) => [path, { content, mode: 0o644 }]));
  return {
    files,
    read: async (path) => {
      const file = files.get(path);
      if (!file) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return file.content;
    },
    write: async (path, content, mode) => void files.set(path, { content, mode }),
    remove: async (path) => void files.delete(path),
  };
}

export interface RecordedCommand {
  command: string;
  args: readonly string[];
  options: CommandOptions | undefined;
}

/** Records every call; `respond` decides each result (exit 0 by default). */
export function fakeRunner(respond: (call: RecordedCommand) => Partial<CommandResult> | Promise<Partial<CommandResult>> = () => ({})) {
  const calls: RecordedCommand[] = [];
  const run: CommandRunner = async (command, args, options) => {
    const call = { command, args, options };
    calls.push(call);
    return { code: 0, stdout: '', stderr: '', ...(await respond(call)) };
  };
  return { run, calls };
}

/** OpenVPN instances as a set of names; `failStart` makes start throw for the names it returns true for. */
export function fakeOpenVpn(initial: string[] = [], failStart: (name: string) => boolean = () => false) {
  const running = new Set(initial);
  const log: string[] = [];
  const processes: OpenVpnProcesses = {
    running: async () => [...running].sort(),
    start: async (name, configPath) => {
      log.push(`start ${name} ${configPath}`);
      if (failStart(name)) throw new Error(`openvpn ${name} did not stay up: Options error`);
      running.add(name);
    },
    stop: async (name) => {
      log.push(`stop ${name}`);
      running.delete(name);
    },
  };
  return { processes, running, log };
}
