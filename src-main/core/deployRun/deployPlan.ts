// A deploy's plan, pure: every node added, changed, unchanged or removed against what was deployed, each changed file as
// a diff (secrets shown as `[secret]`), a VyOS node's `set`/`delete` lines, the tunnels torn down and the keys to make.
import { byNode, tunnelName } from '../../../src-shared/plan/nodeNames.ts';
import type { DeployBackend } from '../../../src-shared/protocol/deployPackage.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { VYOS_SET_FILE } from '../render/renderNodeFiles.ts';
import type { DeployedNode, NodeFile } from './deployedRecord.ts';
import { lineDiff } from './lineDiff.ts';

export type NodeChange = 'added' | 'changed' | 'unchanged' | 'removed';

export interface FileChange {
  path: string;
  change: 'added' | 'changed' | 'removed';
  /** Unified hunks; empty when only secrets changed (the text with them replaced is the same). */
  diff: string[];
}

export interface NodePlan {
  node: string;
  change: NodeChange;
  backend: DeployBackend;
  /** Changed files only. */
  files: FileChange[];
  /** VyOS nodes: the `set` and `delete` lines that take the node from what it runs to the new configuration. */
  commands?: string[];
}

export interface DeployPlan {
  /** Roots by id, each followed by its leaves. */
  nodes: NodePlan[];
  /** Tunnels deleted from the topology: their ends tear them down. */
  removedTunnels: Array<{ a: number; b: number; name: string }>;
  /** One line per node or tunnel that gets new keys. */
  keys: string[];
}

export interface PlanInput {
  /** What was deployed, if anything. */
  previous: { topology: Topology; nodes: Readonly<Record<string, DeployedNode>> } | undefined;
  topology: Topology;
  next: Readonly<Record<string, DeployedNode>>;
  keys: string[];
}

export function planDeploy(input: PlanInput): DeployPlan {
  const before = input.previous?.nodes ?? {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(input.next)])].sort(byNode);
  const nodes = names.map((node): NodePlan => {
    const was = before[node];
    const will = input.next[node];
    if (will === undefined) return { node, change: 'removed', backend: was!.backend, files: [] };
    const files = fileChanges(was?.files ?? {}, will.files);
    const change: NodeChange = was === undefined ? 'added' : files.length > 0 || was.backend !== will.backend ? 'changed' : 'unchanged';
    const commands = will.backend === 'vyos' && change !== 'unchanged' ? vyosLines(was?.backend === 'vyos' ? textOf(was.files[VYOS_SET_FILE]) : '', textOf(will.files[VYOS_SET_FILE])) : undefined;
    return { node, change, backend: will.backend, files, ...(commands === undefined ? {} : { commands }) };
  });
  const kept = new Set(input.topology.tunnels.map((t) => tunnelName(t.a, t.b)));
  const removedTunnels = (input.previous?.topology.tunnels ?? [])
    .map((t) => ({ a: Math.min(t.a, t.b), b: Math.max(t.a, t.b), name: tunnelName(t.a, t.b) }))
    .filter((t) => !kept.has(t.name));
  return { nodes, removedTunnels, keys: input.keys };
}

/** The names of the nodes whose configuration a deploy of this plan changes. */
export function nodesToApply(plan: DeployPlan): string[] {
  return plan.nodes.filter((n) => n.change === 'added' || n.change === 'changed').map((n) => n.node);
}

function fileChanges(was: Readonly<Record<string, NodeFile>>, will: Readonly<Record<string, NodeFile>>): FileChange[] {
  const paths = [...new Set([...Object.keys(was), ...Object.keys(will)])].sort();
  return paths.flatMap((path): FileChange[] => {
    const a = was[path];
    const b = will[path];
    if (a !== undefined && b !== undefined && a.digest === b.digest && a.mode === b.mode) return [];
    const change = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    return [{ path, change, diff: lineDiff(textOf(a), textOf(b)) }];
  });
}

const textOf = (file: NodeFile | undefined): string => file?.text ?? '';

/**
 * What VyOS is told, as the agent's vyos backend applies it: lines no longer set are deleted (by their path, without the
 * value, unless the path is set again with another value) and new lines are set.
 */
export function vyosLines(before: string, after: string): string[] {
  const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('set '));
  const old = new Set(lines(before));
  const fresh = lines(after);
  const freshSet = new Set(fresh);
  const freshPaths = new Set(fresh.map(pathOf));
  const deletes = [...old].filter((l) => !freshSet.has(l) && !freshPaths.has(pathOf(l))).map((l) => `delete ${pathOf(l).slice('set '.length)}`);
  return [...deletes, ...fresh.filter((l) => !old.has(l))];
}

/** A set line without its quoted value: the configuration path it sets. */
function pathOf(line: string): string {
  return line.replace(/ '[^']*'$/, '');
}
