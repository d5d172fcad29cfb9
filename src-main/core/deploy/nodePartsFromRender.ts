// Turns the renderers' files of each node (and its enrollment files) into that node's part of a deploy package for the agent's linux backend.
import type { DeployNodeInput } from '../../../src-shared/protocol/deployPackage.ts';
import { isEnrollmentFile } from '../../../src-shared/protocol/enrollmentFiles.ts';
import { LINUX_FIREWALL_FILE } from '../../../src-shared/protocol/nodeFirewall.ts';
import type { RenderedFile } from '../render/renderNodeFiles.ts';

/** One node's rendered files, and the folder they were rendered for (RenderOptions.baseDir): the linux backend's `root` there. */
export interface RenderedNode {
  files: readonly RenderedFile[];
  baseDir: string;
}

/** Thrown when the rendered files do not fit the backend's layout; the message names the node and the file. */
export class NodePartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodePartError';
  }
}

const SWANCTL_CONF = 'swanctl.conf';
const OPENVPN_INSTANCE = /^openvpn\/([A-Za-z0-9_-]+)\.conf$/;
/** The VyOS backend's files; the linux backend has no use for them. */
const VYOS_FILES = new Set(['vyos.set', 'config.boot']);
/** Key material: the inline form (RenderOptions.inlineKeys) carries it inside the configurations, so no configuration names it. */
const KEY_MATERIAL = /^pki\//;
/** A base folder the OpenVPN files can name bare, as renderOpenvpn writes it (no quoting), without `.` or `..` steps. */
const BASE_DIR = /^(\/(?!\.\.?(\/|$))[A-Za-z0-9_.@+,%-]+)+$/;
const SECRET_MODE = 0o600;

/** `nodeName → { backend: 'linux', files, secrets }`, ready for buildDeployPackage's `nodes`. */
export function nodePartsFromRender(nodes: Readonly<Record<string, RenderedNode>>): Record<string, DeployNodeInput> {
  return Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, linuxNodePart(name, node)]));
}

/**
 * The renderers and the linux backend lay a node's folder out differently; this is the one place that reconciles them.
 * - `swanctl.conf` goes to `swanctl/swanctl.conf` (the backend's SWANCTL_DIR).
 * - `openvpn/<instance>.conf` stays; the backend restarts an instance when that file or anything under `openvpn/<instance>/`
 *   changes, so every file the configuration names by path (`<baseDir>/pki/ca.crt`, the `<baseDir>/openvpn/ccd` folder) moves
 *   to `openvpn/<instance>/<path>` and the configuration is pointed there. A file two instances use (a leaf's CA) goes to both.
 *   Otherwise a new certificate or key would not reach the running daemon.
 * - `enrollment/…` (enrollmentFiles.ts) stays as it is: the agent's material for enrolling client VMs, no OpenVPN configuration.
 * - `firewall.nft` (nodeFirewall.ts) stays as it is: the backend loads it into Raincoat's nftables table.
 * - A server's chroot jail (`chroot <baseDir>/jail/<role>`) is named like any folder, so it moves under its instance too.
 * - `vyos.set` and `config.boot` are left out, and so is key material no configuration names (the inline form).
 * Files of mode 0600 (keys, the pre-shared keys in swanctl.conf, inline-key configurations) become `secrets`, sealed to the node.
 */
export function linuxNodePart(nodeName: string, node: RenderedNode): DeployNodeInput {
  const fail = (message: string): never => {
    throw new NodePartError(`${nodeName}: ${message}`);
  };
  if (!BASE_DIR.test(node.baseDir)) fail(`base folder "${node.baseDir}" must be an absolute path of plain names (letters, digits, _ . @ + , % -)`);
  const rendered = new Map<string, RenderedFile>();
  for (const file of node.files) {
    if (rendered.has(file.path)) fail(`${file.path} is rendered twice`);
    rendered.set(file.path, file);
  }

  const placed = new Map<string, { content: string; secret: boolean }>();
  const place = (path: string, content: string, secret: boolean) => placed.set(path, { content, secret });
  const named = new Set<string>();
  for (const file of rendered.values()) {
    const instance = OPENVPN_INSTANCE.exec(file.path)?.[1];
    if (instance === undefined) continue;
    const { content, references } = pointIntoInstance(file.content, node.baseDir, instance, rendered, (m) => fail(`${file.path}: ${m}`));
    place(file.path, content, file.mode === SECRET_MODE);
    for (const path of references) {
      const target = rendered.get(path)!;
      named.add(path);
      place(`openvpn/${instance}/${path}`, target.content, target.mode === SECRET_MODE);
    }
  }
  for (const file of rendered.values()) {
    if (file.path === SWANCTL_CONF) place('swanctl/swanctl.conf', file.content, file.mode === SECRET_MODE);
    else if (isEnrollmentFile(file.path) || file.path === LINUX_FIREWALL_FILE) place(file.path, file.content, file.mode === SECRET_MODE);
    else if (OPENVPN_INSTANCE.test(file.path) || VYOS_FILES.has(file.path) || named.has(file.path)) continue;
    else if (!KEY_MATERIAL.test(file.path)) fail(`${file.path} is named by no OpenVPN configuration, and the linux backend has no place for it`);
  }

  const files: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [path, { content, secret }] of [...placed].sort(([a], [b]) => (a < b ? -1 : 1))) (secret ? secrets : files)[path] = content;
  return { backend: 'linux', files, secrets };
}

/**
 * Rewrites every `<baseDir>/<path>` word of an OpenVPN configuration to `<baseDir>/openvpn/<instance>/<path>`; returns the
 * new text and the rendered files so named (a named folder stands for the files under it). Any other absolute path is an error:
 * it would name something the package does not carry, e.g. files rendered for another base folder.
 */
function pointIntoInstance(
  text: string,
  baseDir: string,
  instance: string,
  rendered: ReadonlyMap<string, RenderedFile>,
  fail: (message: string) => never,
): { content: string; references: string[] } {
  const references = new Set<string>();
  let inline: string | undefined;
  const lines = text.split('\n').map((line) => {
    const trimmed = line.trim();
    if (inline !== undefined) {
      if (trimmed === `</${inline}>`) inline = undefined;
      return line;
    }
    const opening = /^<([a-z0-9-]+)>$/.exec(trimmed);
    if (opening) inline = opening[1];
    if (opening || trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return line;
    return line
      .split(' ')
      .map((word) => {
        if (!word.startsWith('/')) return word;
        if (!word.startsWith(`${baseDir}/`)) fail(`names ${word}, outside the node's folder ${baseDir}`);
        const path = word.slice(baseDir.length + 1);
        const under = [...rendered.keys()].filter((p) => p === path || p.startsWith(`${path}/`));
        if (under.length === 0) fail(`names ${word}, which was not rendered`);
        for (const p of under) references.add(p);
        return `${baseDir}/openvpn/${instance}/${path}`;
      })
      .join(' ');
  });
  if (inline !== undefined) fail(`<${inline}> is never closed`);
  return { content: lines.join('\n'), references: [...references].sort() };
}
