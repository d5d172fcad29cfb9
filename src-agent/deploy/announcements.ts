// The deploy flood's messages: what the entry root announces, what a node makes of a `deploy` announcement (fetched,
// given again to the engine or let go), and whether a `confirm_deploy` concerns it.
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { MessageBody } from '../../src-shared/protocol/messages.ts';
import { packageIndex } from '../../src-shared/protocol/packageParts.ts';

/** How many announced topologies are remembered: a few suffice, deploys come one at a time. */
export const ANNOUNCED_KEPT = 16;

/**
 * The largest index an announcement carries, as a share of the flood's line limit: the line carries the origin's
 * certificate and the message's envelope too, and a line over a neighbour's limit would stop the announcement there.
 */
const INDEX_SHARE_OF_LINE = 0.5;

/**
 * The `deploy` announcement of a package: with its index when that fits in the flood's lines (`maxLineBytes`), so that
 * the nodes whose parts it carries unchanged take it at once; without, every node fetches its copy.
 */
export async function announcementOf(pkg: DeployPackage, size: number, confirmBy: number, maxLineBytes: number): Promise<MessageBody<'deploy'>> {
  const body = { topologyId: pkg.topologyId, digest: pkg.digest, size, confirmBy };
  const index = await packageIndex(pkg);
  return Buffer.byteLength(JSON.stringify(index)) <= maxLineBytes * INDEX_SHARE_OF_LINE ? { ...body, index } : body;
}

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
