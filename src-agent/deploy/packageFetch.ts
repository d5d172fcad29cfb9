// Fetches an announced deploy package from the neighbours (`get_deploy`): the one that told this node first, then the
// others in turn, waiting on the clock between attempts; only the very package announced, intact, is taken.
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import { DeployPackageSchema, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { MessageBody } from '../../src-shared/protocol/messages.ts';
import { formatProblem, zodProblems } from '../../src-shared/validation/zodProblems.ts';
import type { Clock } from '../clock.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import type { DigestCheck } from './digestCheck.ts';

export const DEFAULT_FETCH_RETRY_MS = 2_000;
export const DEFAULT_FETCH_ATTEMPTS = 10;

export interface PackageFetchOptions {
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  neighbours(): readonly string[];
  clock: Pick<Clock, 'sleep'>;
  maxPackageBytes: number;
  checkDigest: DigestCheck;
  /** The wait after each failed attempt. */
  retryMs: number;
  attempts: number;
}

export type Announced = Pick<MessageBody<'deploy'>, 'topologyId' | 'digest'>;
export type FetchResult = { package: DeployPackage } | { failed: string };
export type PackageFetch = (announced: Announced, from: string | null) => Promise<FetchResult>;

/** Who is asked, attempt after attempt (round and round): the neighbour that passed the announcement on first. */
export function fetchOrder(from: string | null, neighbours: readonly string[]): string[] {
  return [...new Set([...(from ? [from] : []), ...neighbours])];
}

export function createPackageFetch(options: PackageFetchOptions): PackageFetch {
  const { client } = options;

  /** The package one neighbour answers with; throws why it is not the one announced. */
  async function fetchFrom(node: string, announced: Announced): Promise<DeployPackage> {
    const target = options.targetOf(node);
    if (!target) throw new Error(`${node} is not a neighbour with an address`);
    const { method, path } = agentApi.getDeploy;
    const response = await client.request(target, method, path, { topologyId: announced.topologyId, digest: announced.digest }, options.maxPackageBytes + 4096);
    if (response.status !== 200) throw new Error(`${node} answered ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
    const parsed = DeployPackageSchema.safeParse(JSON.parse(response.body.toString('utf8')), { reportInput: true });
    if (!parsed.success) throw new Error(`${node} sent a package that is not one: ${formatProblem(zodProblems(parsed.error, 'package')[0]!)}`);
    const pkg = parsed.data;
    if (pkg.topologyId !== announced.topologyId || pkg.digest !== announced.digest || !(await options.checkDigest(pkg))) {
      throw new Error(`${node} sent a package that does not match the announced digest`);
    }
    return pkg;
  }

  return async (announced, from) => {
    const order = fetchOrder(from, options.neighbours());
    let lastError = 'no neighbour to fetch it from';
    for (let attempt = 0; attempt < options.attempts && order.length > 0; attempt++) {
      try {
        return { package: await fetchFrom(order[attempt % order.length]!, announced) };
      } catch (error) {
        lastError = (error as Error).message;
        // No wait after the last attempt: the fetch slot is freed and the failure reported at once.
        if (attempt + 1 < options.attempts) await options.clock.sleep(options.retryMs);
      }
    }
    return { failed: lastError };
  };
}
