// Whether this node takes a deploy package into account: the one set of rules every way a package arrives goes through.
import { packageNodeNames, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { RefusalCode } from '../../src-shared/protocol/refusals.ts';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { HeldPackage, PackageRef } from './deployState.ts';

/** How far ahead of this node's clock a package's `createdAt` may be: the flood router's clock skew allowance. */
export const CREATED_AT_SKEW_MS = 30_000;

/** How the package reached this node: what it must say about its entry root depends on it. */
export type Arrival =
  /** Posted by the application to this node: only a root takes one, and only one naming it as the entry root. */
  | { via: 'application'; self: string; selfRootId: number | undefined; beingDeployed: boolean }
  /** Announced by a root's `deploy` flood (fetched from a neighbour, or the one kept here given again): it must name that root. */
  | { via: 'flood'; announcedBy: number }
  /** Handed to the engine by a caller with no rule of its own to add (tests, the lab). */
  | { via: 'direct' };

/** What the engine holds, as the rules see it: from the moment it takes a package, with nothing awaited since. */
export interface Holding {
  /** The newest package this node took into account. */
  held: HeldPackage | undefined;
  /**
   * Whether `held` failed here: it is not in effect, not being deployed, and did not remove this node (its apply failed,
   * or was rolled back, or cut short by a restart). The same package again is then tried again.
   */
  heldFailed: boolean;
  /** The packages whose configuration is in effect here, or may be again (the one a rollback goes back to). */
  inUse: readonly PackageRef[];
}

export interface NodeHolding extends Holding {
  /** Whether the package's digest is the one of its content (checked once per package: see digestCheck.ts). */
  digestIntact: boolean;
  now: number;
}

/** `new`: to be deployed; `unchanged`: this very package was taken before. A refusal carries the code the routes answer with. */
export type Verdict = { accepted: 'new' | 'unchanged' } | { refused: RefusalCode; reason: string };

const refuse = (code: RefusalCode, reason: string): Verdict => ({ refused: code, reason });

/** The rules, in the order they are told: the first one a package breaks is its refusal. */
export function acceptPackage(pkg: DeployPackage, arrival: Arrival, here: NodeHolding): Verdict {
  if (arrival.via === 'application') {
    if (arrival.selfRootId === undefined) return refuse('forbidden', `${arrival.self} is a leaf; post the package to a root`);
    if (pkg.entryRootId !== arrival.selfRootId) return refuse('conflict', `the package names root ${pkg.entryRootId} as its entry root, but this is ${arrival.self}`);
  }
  // Only the administrator, through a root, deploys: the root whose flood announced a package must be the one it names.
  if (arrival.via === 'flood' && pkg.entryRootId !== arrival.announcedBy) return refuse('conflict', `the package names root ${pkg.entryRootId} as its entry root`);
  // A deploy of this overlay has a part for the root it enters by; one without is for another overlay (or none), and
  // flooding it would only have every node fail it. It is refused where it enters, before anything is flooded.
  const entryRoot = rootNodeName(pkg.entryRootId);
  if (arrival.via === 'application' && Object.keys(pkg.omitted).length > 0) return refuse('malformed', 'the application posts a whole package: this one leaves parts out');
  if (arrival.via !== 'direct' && !packageNodeNames(pkg).includes(entryRoot)) return refuse('conflict', `the package has no part for ${entryRoot}, its entry root: it is not a deploy of this overlay`);
  if (!here.digestIntact) return refuse('malformed', 'digest mismatch: the package was altered or damaged on its way');
  const future = fromTheFuture(pkg, here.now);
  if (future) return refuse('conflict', future);
  if (arrival.via === 'application' && arrival.beingDeployed) return refuse('conflict', `topology ${pkg.topologyId} is being deployed already`);
  // A topology id names one package: the one held, in effect or kept to go back to under that id is the only one.
  const held = here.held;
  if ([held, ...here.inUse].some((known) => known?.topologyId === pkg.topologyId && known.digest !== pkg.digest)) {
    return refuse('conflict', `topology ${pkg.topologyId} is already known here with another digest`);
  }
  if (held?.topologyId === pkg.topologyId) return { accepted: here.heldFailed ? 'new' : 'unchanged' };
  if (held && Date.parse(pkg.createdAt) < Date.parse(held.createdAt)) return refuse('conflict', `stale: older than topology ${held.topologyId}, which this node already has`);
  return { accepted: 'new' };
}

/**
 * Why a package claims a creation time too far ahead, if it does. A package from the future would be newer than every
 * deploy the administrator makes until then, so each of those would be refused as stale.
 */
function fromTheFuture(pkg: Pick<DeployPackage, 'createdAt'>, now: number): string | undefined {
  if (Date.parse(pkg.createdAt) <= now + CREATED_AT_SKEW_MS) return undefined;
  return `created in the future: ${pkg.createdAt} is more than ${CREATED_AT_SKEW_MS / 1000} s ahead of this node's clock (${new Date(now).toISOString()})`;
}

/** What the rules remember of a package taken. */
export function heldOf(pkg: DeployPackage): HeldPackage {
  return { topologyId: pkg.topologyId, digest: pkg.digest, createdAt: pkg.createdAt };
}
