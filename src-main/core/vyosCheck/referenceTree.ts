// VyOS's configuration tree (node, tagNode, leafNode and value constraints) as shipped in ./reference, typed and loaded.
import { readFileSync } from 'node:fs';
import type { VyosVersion } from '../render/renderOptions.ts';


export interface ReferenceValidator {
  name: string;
  argument?: string;
}

export interface ReferenceConstraint {
  regex?: string[];
  validator?: ReferenceValidator[];
}

export interface ReferenceNode {
  kind: 'node' | 'tagNode' | 'leafNode';
  children?: Record<string, ReferenceNode>;
  valueless?: boolean;
  multi?: boolean;
  valueHelp?: string[];
  /** Alternatives: the value passes when any regex or validator accepts it. */
  constraint?: ReferenceConstraint;
  /** Each group's entries must all accept the value. */
  constraintGroup?: ReferenceConstraint[];
  constraintErrorMessage?: string;
}

export interface ReferenceTree {
  tree: { children: Record<string, ReferenceNode> };
  _source?: Record<string, unknown>;
}

const cache = new Map<VyosVersion, ReferenceTree>();

/** The reference tree of a VyOS release, read once from the JSON beside this module. */
export function loadReferenceTree(version: VyosVersion): ReferenceTree {
  const cached = cache.get(version);
  if (cached) return cached;
  const url = new URL(`./reference/vyos-${version}-config-tree.json`, import.meta.url);
  const tree = JSON.parse(readFileSync(url, 'utf8')) as ReferenceTree;
  if (!tree.tree?.children) throw new Error(`${url.pathname}: not a VyOS reference tree`);
  cache.set(version, tree);
  return tree;
}
