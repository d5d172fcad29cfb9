// Answers the neighbours' `get_deploy`: the package asked for, when this node keeps it or is fetching it; a bounded number
// of answers at a time, each given up when not read by its deadline.
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { GetDeployRequest } from '../../src-shared/protocol/messages.ts';
import type { Clock } from '../clock.ts';
import { bytesResponder } from '../wire/bytesResponder.ts';
import { Refusal } from '../wire/refusal.ts';
import type { ResponderHandler } from '../wire/route.ts';
import type { PackageBytes } from './packageBytes.ts';

export interface DeployAnswersOptions {
  /**
   * The package with that id and digest for the neighbour `asker`, or the copy with the parts it asks for: from the one
   * kept, or one being fetched (once it is); undefined when neither.
   */
  find(wanted: GetDeployRequest, asker: string | null): Promise<DeployPackage | undefined>;
  bytesOf: PackageBytes;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** How many answers may be in flight at once; beyond that a neighbour is told to ask again. */
  maxAnswers: number;
  log(event: string, fields: Record<string, unknown>): void;
}

/** A responder, to know when an answer is out: each holds the package's bytes until the neighbour has read them. */
export function getDeployHandler(options: DeployAnswersOptions): ResponderHandler<'getDeploy'> {
  return bytesResponder<'getDeploy'>({
    async bytesFor(wanted, caller) {
      const pkg = await options.find(wanted, caller.node ?? null);
      if (!pkg) throw new Refusal('not_found', `no package ${wanted.topologyId} with that digest here`);
      return options.bytesOf(pkg);
    },
    clock: options.clock,
    maxAnswers: options.maxAnswers,
    what: 'packages',
    errorEvent: 'deploy_serve_error',
    log: options.log,
  });
}
