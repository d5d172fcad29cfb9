// Each node's part of a deploy package for the backend its agent runs: linux (nodePartsFromRender's layout), vyos (its
// `set` lines, secrets carried by reference) or dry-run (a linux node's rendered files as they are, for the sandbox and demos).
import type { DeployBackend, DeployNodeInput } from '../../../src-shared/protocol/deployPackage.ts';
import { enrollmentPart } from '../deploy/enrollmentFiles.ts';
import { linuxNodePart } from '../deploy/nodePartsFromRender.ts';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { VYOS_SET_FILE } from '../render/renderNodeFiles.ts';
import { replaceSecrets } from './overlaySecrets.ts';
import { filesFor } from './renderNodes.ts';

export interface NodePartOptions {
  /** Where the linux backend keeps the node's files (RenderOptions.baseDir the files were rendered for). */
  baseDir: string;
  /** The overlay's secrets as the files spell them (overlaySecrets.ts). */
  secrets: ReadonlySet<string>;
}

export function nodePart(node: string, backend: DeployBackend, files: readonly RenderedFile[], options: NodePartOptions): DeployNodeInput {
  switch (backend) {
    case 'linux':
      return linuxNodePart(node, { files, baseDir: options.baseDir });
    case 'vyos':
      return vyosNodePart(files, options.secrets);
    case 'dry-run':
      return dryRunNodePart(filesFor('dry-run', files));
  }
}

/** Each file a linux node would take, where the renderer puts it; those of mode 0600 (keys, pre-shared keys) are sealed to the node. */
function dryRunNodePart(files: readonly RenderedFile[]): DeployNodeInput {
  const part = { backend: 'dry-run' as const, files: {} as Record<string, string>, secrets: {} as Record<string, string> };
  for (const file of files) (file.mode === 0o600 ? part.secrets : part.files)[file.path] = file.content;
  return part;
}

/**
 * The node's `vyos.set` lines, each secret in them replaced by a `{{secret:vyos/<n>}}` reference to a sealed secret: the
 * lines travel readable, the keys only sealed to the node. VyOS keeps its keys in its configuration, so the only files
 * are the agent's enrollment material.
 */
function vyosNodePart(files: readonly RenderedFile[], words: ReadonlySet<string>): DeployNodeInput {
  const set = files.find((f) => f.path === VYOS_SET_FILE);
  if (set === undefined) throw new Error(`no ${VYOS_SET_FILE} was rendered`);
  const secrets: Record<string, string> = {};
  const paths = new Map<string, string>();
  const reference = (word: string) => {
    let path = paths.get(word);
    if (path === undefined) {
      path = `vyos/${paths.size + 1}`;
      paths.set(word, path);
      secrets[path] = word;
    }
    return `{{secret:${path}}}`;
  };
  const commands = set.content
    .split('\n')
    .filter((line) => line.startsWith('set '))
    .map((line) => replaceSecrets(line, words, reference));
  const enrollment = enrollmentPart(files);
  return { backend: 'vyos', commands, ...(Object.keys(enrollment.files).length > 0 ? { files: enrollment.files } : {}), secrets: { ...secrets, ...enrollment.secrets } };
}
