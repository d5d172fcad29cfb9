// What a node makes of the deploy flood's messages: whether a `deploy` announcement is fetched, given again to the engine
// or let go, and whether a `confirm_deploy` concerns it.
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { MessageBody } from '../../src-shared/protocol/messages.ts';

/** How many announced topologies are remembered: a few suffice, deploys come one at a time. */
export const ANNOUNCED_KEPT = 16;

/** The root id of a message's origin; undefined when the origin is a leaf (which neither deploys nor confirms). */
export function rootIdOf(origin: string): number | undefined {
  const name = parseNodeName(origin);
  return name?.role === 'root' ? name.rootId : undefined;
}

/** The topologies whose deploy reached this node, newest last, with `topologyId` added. */
export function remember(announced: readonly string[], topologyId: string): readonly string[] {
  if (announced.includes(topologyId)) return announced;
  return [...announced, topologyId].slice(-ANNOUNCED_KEPT);
}

export interface AnnouncementContext {
  /** The package with this digest kept here, if any. */
  kept(digest: string): DeployPackage | undefined;
  /** Whether the package with this digest is being fetched, or taken, already. */
  inFlight(digest: string): boolean;
  fetches: number;
  maxFetches: number;
  maxPackageBytes: number;
}

export type AnnouncementAction =
  /** A package kept here: given to the engine again (the rules tell whether anything is left to do). */
  | { act: 'redeliver'; pkg: DeployPackage }
  | { act: 'fetch' }
  /** Let go, and logged. */
  | { act: 'ignore'; reason: string }
  /** Nothing to do: too large to take, or on its way already. */
  | { act: 'none' };

/** What to do with a root's `deploy` announcement. */
export function announcementAction(body: MessageBody<'deploy'>, here: AnnouncementContext): AnnouncementAction {
  const kept = here.kept(body.digest);
  if (kept?.topologyId === body.topologyId) return { act: 'redeliver', pkg: kept };
  if (body.size > here.maxPackageBytes || here.inFlight(body.digest)) return { act: 'none' };
  if (here.fetches >= here.maxFetches) return { act: 'ignore', reason: `${here.fetches} packages are being fetched already` };
  return { act: 'fetch' };
}

/**
 * Whether a root's confirmation is for this node. The application confirms a topology only once every node reported it
 * applied, so a node is always told of a deploy before its confirmation; a confirmation of anything else is not for
 * this node and costs it nothing.
 */
export function confirmationConcerns(topologyId: string, current: DeployPackage | undefined, announced: readonly string[]): boolean {
  return current?.topologyId === topologyId || announced.includes(topologyId);
}
