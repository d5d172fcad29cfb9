// Copies of a deploy package that carry only some nodes' parts: which parts a node needs, cutting a copy down to them,
// and putting two copies of one package together. Every copy keeps the whole package's digest (deployPackage.ts).
import { parseNodeName } from '../plan/nodeNames.ts';
import { packageNodeNames, partDigest, type DeployPackage, type NodePart } from './deployPackage.ts';

/**
 * The package's nodes that `selectors` name: a node by its name, and a root's leaves with the root (a root serves its
 * leaves their parts). Names the package does not deploy select nothing.
 */
export function selectedParts(pkg: Pick<DeployPackage, 'nodes' | 'omitted'>, selectors: readonly string[]): string[] {
  const names = new Set(selectors);
  const rootIds = new Set(selectors.flatMap((s) => {
    const name = parseNodeName(s);
    return name?.role === 'root' ? [name.rootId] : [];
  }));
  return packageNodeNames(pkg).filter((node) => {
    if (names.has(node)) return true;
    const name = parseNodeName(node);
    return name?.role === 'leaf' && rootIds.has(name.rootId);
  });
}

/** The names among `wanted` whose parts this copy leaves out. */
export function missingParts(pkg: Pick<DeployPackage, 'nodes'>, wanted: readonly string[]): string[] {
  return wanted.filter((name) => !Object.hasOwn(pkg.nodes, name));
}

/** A copy that carries the parts of `keep` only (those this copy has); the others are left out by their digests. */
export async function withPartsOnly(pkg: DeployPackage, keep: readonly string[]): Promise<DeployPackage> {
  const wanted = new Set(keep);
  const nodes: Record<string, NodePart> = {};
  const omitted: Record<string, string> = { ...pkg.omitted };
  for (const [name, part] of Object.entries(pkg.nodes)) {
    if (wanted.has(name)) nodes[name] = part;
    else omitted[name] = await partDigest(part);
  }
  return { ...pkg, nodes, omitted };
}

/** Two copies of one package (the same digest) as one, with the parts either carries. */
export function mergeParts(a: DeployPackage, b: DeployPackage): DeployPackage {
  if (a.digest !== b.digest) throw new Error(`mergeParts: copies of two packages (${a.digest}, ${b.digest})`);
  const nodes = { ...a.nodes, ...b.nodes };
  const omitted = Object.fromEntries(Object.entries(a.omitted).filter(([name]) => !Object.hasOwn(nodes, name)));
  return { ...a, nodes, omitted };
}

/**
 * The copy that carries no part, every one left out by its digest: what a deploy's announcement floods, so that a node
 * whose part is unchanged need not fetch the package (see the deploy message's `index`).
 */
export function packageIndex(pkg: DeployPackage): Promise<DeployPackage> {
  return withPartsOnly(pkg, []);
}

/**
 * The copy of the index's package that carries `parts`, when each is the very part the index names by its digest (the
 * package's digest then covers the copy as it covers the package); undefined when one differs or is not the package's.
 */
export async function copyFromIndex(index: DeployPackage, parts: Readonly<Record<string, NodePart>>): Promise<DeployPackage | undefined> {
  for (const [name, part] of Object.entries(parts)) {
    if (!Object.hasOwn(index.omitted, name) || (await partDigest(part)) !== index.omitted[name]) return undefined;
  }
  return mergeParts(index, { ...index, nodes: { ...parts }, omitted: {} });
}

/**
 * `copy` with the parts it leaves out taken from `sources` by their digests (the package's digest covers each part by
 * its own): the whole package, or the names of the parts none of the sources holds.
 */
export async function completeParts(copy: DeployPackage, sources: readonly DeployPackage[]): Promise<{ package: DeployPackage } | { lacking: string[] }> {
  if (Object.keys(copy.omitted).length === 0) return { package: copy };
  const byDigest = new Map<string, NodePart>();
  for (const source of sources) for (const part of Object.values(source.nodes)) byDigest.set(await partDigest(part), part);
  const found: Record<string, NodePart> = {};
  const lacking: string[] = [];
  for (const [name, digest] of Object.entries(copy.omitted)) {
    const part = byDigest.get(digest);
    if (part === undefined) lacking.push(name);
    else found[name] = part;
  }
  return lacking.length > 0 ? { lacking } : { package: mergeParts(copy, { ...copy, nodes: found, omitted: {} }) };
}
