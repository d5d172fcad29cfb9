// Every node's rendered files, in memory and by node, and the record of them a plan diffs and the state folder keeps.
import { createHash } from 'node:crypto';
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import { parseNodeName } from '../../../src-shared/plan/nodeNames.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { renderOverlayFiles } from '../render/renderNodeFiles.ts';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { VYOS_SET_FILE } from '../render/renderNodeFiles.ts';
import type { DeployBackend } from '../../../src-shared/protocol/deployPackage.ts';
import { isEnrollmentFile } from '../../../src-shared/protocol/enrollmentFiles.ts';
import type { RenderOptions } from '../render/renderOptions.ts';
import type { NodeFile } from './deployedRecord.ts';
import { replaceSecrets } from './overlaySecrets.ts';

/** Each node's files with paths relative to its folder, by node name; files of no node (client profiles) are left out. */
export function renderNodes(plan: AddressPlan, keys: OverlayKeys, options: RenderOptions): Map<string, RenderedFile[]> {
  const byNode = new Map<string, RenderedFile[]>();
  for (const root of plan.roots) for (const name of [root.nodeName, ...root.leaves.map((l) => l.nodeName)]) byNode.set(name, []);
  for (const file of renderOverlayFiles(plan, keys, options)) {
    const slash = file.path.indexOf('/');
    const node = slash < 0 ? undefined : file.path.slice(0, slash);
    if (node === undefined || parseNodeName(node) === undefined) continue;
    byNode.get(node)?.push({ ...file, path: file.path.slice(slash + 1) });
  }
  return byNode;
}

const VYOS_FILES = new Set([VYOS_SET_FILE, 'config.boot']);

/**
 * The rendered files a node's backend takes its configuration from, which its plan shows and its record keeps: a VyOS
 * node its set lines (and its enrollment files), a linux node all but the VyOS files, and so does a dry-run node (the sandbox's nodes are linux
 * nodes that apply nothing). With the VyOS files too, a sandbox of 250 agents carried a 7.6 MB package to every node
 * instead of about 2 MB: a root's `vyos.set` and `config.boot` are three quarters of its part.
 */
export function filesFor(backend: DeployBackend, files: readonly RenderedFile[]): RenderedFile[] {
  switch (backend) {
    case 'vyos':
      return files.filter((f) => f.path === VYOS_SET_FILE || isEnrollmentFile(f.path));
    case 'linux':
    case 'dry-run':
      return files.filter((f) => !VYOS_FILES.has(f.path));
  }
}

/** What the record keeps of a node's files: digest, mode, and the text with its secrets replaced (in any file, to be sure). */
export function recordFiles(files: readonly RenderedFile[], secrets: ReadonlySet<string>): Record<string, NodeFile> {
  return Object.fromEntries(
    files.map((file) => [
      file.path,
      { digest: createHash('sha256').update(file.content).digest('hex'), mode: file.mode, text: replaceSecrets(file.content, secrets) },
    ]),
  );
}
