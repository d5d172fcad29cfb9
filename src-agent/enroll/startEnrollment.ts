// Client enrollment, started: a root's tokens (stored) and its grants of tokens to other roots, and the enrollment routes
// on the deploy in effect; a leaf passes requests to its root and answers the token routes with why it does not serve them.
import path from 'node:path';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import type { AdministratorClaim } from '../../src-shared/protocol/messages.ts';
import type { AgentLog } from '../agentLog.ts';
import type { Clock } from '../clock.ts';
import { createLoginRateLimiter } from '../administrator/loginRateLimiter.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import { rootsOnly } from '../wire/rootsOnly.ts';
import type { JsonHandler, NotServed } from '../wire/route.ts';
import { clientEnrollmentHandlers } from './clientEnrollment.ts';
import { deployedMaterial } from './deployedMaterial.ts';
import { createEnrollmentGrants } from './enrollmentGrants.ts';
import type { EnrollmentGrants, EnrollmentGrantsOptions } from './enrollmentGrants.ts';
import { EnrollmentTokensFileSchema, createEnrollmentTokens } from './enrollmentTokens.ts';

export interface EnrollmentOptions {
  self: string;
  rootId: number;
  role: 'root' | 'leaf';
  dataDir: string;
  openingKey: OpeningKey;
  /** The stored package and the digest of the one in effect: the material comes from the deploy in effect only. */
  current(): DeployPackage | undefined;
  runningDigest(): string | undefined;
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  /** At a root: the administrator claim it honours (the lock's holder), which alone may grant it tokens. */
  holder(): AdministratorClaim | null;
  /** Floods the grants' messages: the router's originate. */
  originate: EnrollmentGrantsOptions['originate'];
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  log: AgentLog;
}

/** Every enrollment route: served at a root; at a leaf `enroll` (passed on to its root) and the others not served. */
export interface EnrollmentHandlersAtNode {
  enroll: JsonHandler<'enroll'>;
  peerEnroll: JsonHandler<'peerEnroll'> | NotServed;
  createEnrollmentToken: JsonHandler<'createEnrollmentToken'> | NotServed;
  listEnrollmentTokens: JsonHandler<'listEnrollmentTokens'> | NotServed;
  revokeEnrollmentToken: JsonHandler<'revokeEnrollmentToken'> | NotServed;
}

export interface Enrollment {
  handlers: EnrollmentHandlersAtNode;
  /** A root's handlers of the grants' messages; a leaf has none (grants reach roots only). */
  messageHandlers: Partial<EnrollmentGrants['messageHandlers']>;
}

export async function startEnrollment(options: EnrollmentOptions): Promise<Enrollment> {
  const { self, rootId, role, clock, log } = options;
  const tokens = role === 'root' ? createEnrollmentTokens({ store: jsonStateFile(path.join(options.dataDir, 'enrollment-tokens.json'), EnrollmentTokensFileSchema), now: clock.now }) : undefined;
  const tokenProblem = await tokens?.start();
  if (tokenProblem) log('enrollment_tokens_problem', { problem: tokenProblem });
  const grants = tokens && createEnrollmentGrants({ rootId, tokens, holder: options.holder, originate: options.originate, clock, log: (event, fields) => log(event, fields) });
  const handlers = clientEnrollmentHandlers({
    self,
    rootId,
    role,
    tokens,
    grants,
    material: deployedMaterial({ self, role, openingKey: options.openingKey, current: options.current, runningDigest: options.runningDigest }),
    client: options.client,
    rootTarget: () => options.targetOf(rootNodeName(rootId)),
    limiter: createLoginRateLimiter({ now: clock.now }),
    now: clock.now,
    log: (event, fields) => log(event, fields),
  });
  const leaf = rootsOnly(self);
  return { handlers: { peerEnroll: leaf, createEnrollmentToken: leaf, listEnrollmentTokens: leaf, revokeEnrollmentToken: leaf, ...handlers }, messageHandlers: grants?.messageHandlers ?? {} };
}
