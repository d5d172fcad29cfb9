// Fetches an announced deploy package from the neighbours (`get_deploy`): the one that told this node first, then the
// others in turn, waiting on the clock between attempts, until the deploy's confirmation deadline at least; only the
// very package announced, intact, is taken. Asked for some parts only, a neighbour answers a copy with those parts.
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { MessageBody } from '../../src-shared/protocol/messages.ts';
import type { Clock } from '../clock.ts';
import { askInTurn, askNeighbour, askOrder } from '../wire/askNeighbours.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import type { DigestCheck } from './digestCheck.ts';
import { parsePackageBytes } from './sharedParse.ts';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { missingParts, selectedParts } from '../../src-shared/protocol/packageParts.ts';

export const DEFAULT_FETCH_RETRY_MS = 2_000;
/** The first wait: a neighbour still fetching the package, or too busy to send it, has it or sends it a moment later. */
const FIRST_FETCH_RETRY_MS = 100;
export const DEFAULT_FETCH_ATTEMPTS = 10;

export interface PackageFetchOptions {
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  neighbours(): readonly string[];
  clock: Pick<Clock, 'sleep' | 'now'>;
  maxPackageBytes: number;
  checkDigest: DigestCheck;
  /** The wait after each failed attempt. */
  retryMs: number;
  /** At least this many attempts; more while the announced deploy may still be confirmed (its `confirmBy`). */
  attempts: number;
}

export type Announced = Pick<MessageBody<'deploy'>, 'topologyId' | 'digest'> & Partial<Pick<MessageBody<'deploy'>, 'confirmBy'>>;
/** The package, or the copy with the parts asked for, and the neighbour that gave it. */
export type FetchResult = { package: DeployPackage; from: string } | { failed: string };
/** `parts`: the nodes whose parts are wanted (a root's name takes its leaves' too); absent, the whole package. */
export type PackageFetch = (announced: Announced, from: string | null, parts?: readonly string[]) => Promise<FetchResult>;

export function createPackageFetch(options: PackageFetchOptions): PackageFetch {
  /** The package one neighbour answers with; throws why it is not the one announced. */
  async function fetchFrom(node: string, announced: Announced, parts: readonly string[] | undefined): Promise<{ package: DeployPackage; from: string }> {
    const wanted = { topologyId: announced.topologyId, digest: announced.digest, ...(parts === undefined ? {} : { parts: [...parts] }) };
    const body = await askNeighbour(options, node, 'getDeploy', wanted, options.maxPackageBytes + 4096);
    const parsed = parsePackageBytes(body);
    if ('problem' in parsed) throw new Error(`${node} sent a package that is not one: ${parsed.problem}`);
    const pkg = parsed.package;
    if (pkg.topologyId !== announced.topologyId || pkg.digest !== announced.digest || !(await options.checkDigest(pkg))) {
      throw new Error(`${node} sent a package that does not match the announced digest`);
    }
    const lacking = missingParts(pkg, parts === undefined ? Object.keys(pkg.omitted) : selectedParts(pkg, parts));
    if (lacking.length > 0) throw new Error(`${node} sent a copy without the parts of ${lacking.slice(0, 3).join(', ')}${lacking.length > 3 ? ', …' : ''}`);
    return { package: pkg, from: node };
  }

  return async (announced, from, parts) => {
    const fetched = await askInTurn(askOrder(from, holders(options.neighbours())), (node) => fetchFrom(node, announced, parts), { ...options, firstRetryMs: Math.min(FIRST_FETCH_RETRY_MS, options.retryMs), until: announced.confirmBy });
    return 'value' in fetched ? fetched.value : fetched;
  };
}

/**
 * The neighbours that may hold a package before this node does: a root's leaves take theirs from it, so a root asks
 * only roots (asking its leaves only cost it a turn each); a leaf has only its root.
 */
function holders(neighbours: readonly string[]): string[] {
  const roots = neighbours.filter((node) => parseNodeName(node)?.role === 'root');
  return roots.length > 0 ? roots : [...neighbours];
}
