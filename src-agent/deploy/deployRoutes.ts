// The deploy feature's routes of the agent's API table: the application posts and confirms deploys, neighbours fetch packages.
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { JsonHandler, ResponderHandler } from '../wire/route.ts';
import type { ConfirmOutcome } from './deployStep.ts';

export interface DeployRouteActions {
  /** Takes a package the application posted and floods its announcement; throws a Refusal when the rules refuse it. */
  post(pkg: DeployPackage): Promise<{ topologyId: string; digest: string }>;
  /** Floods a confirmation and confirms the deploy here. */
  confirm(topologyId: string): Promise<ConfirmOutcome>;
  getDeploy: ResponderHandler<'getDeploy'>;
}

export interface DeployHandlers {
  deploy: JsonHandler<'deploy'>;
  getDeploy: ResponderHandler<'getDeploy'>;
  confirmDeploy: JsonHandler<'confirmDeploy'>;
}

export function deployRoutes(actions: DeployRouteActions): DeployHandlers {
  return {
    // Accepted, not done: the package is flooded at once and applied meanwhile; statuses tell how each node fares.
    deploy: { handle: async (_caller, pkg) => ({ status: 202, json: await actions.post(pkg) }) },
    getDeploy: actions.getDeploy,
    confirmDeploy: {
      handle: async (_caller, { topologyId }) => ({ json: await actions.confirm(topologyId) }),
    },
  };
}
