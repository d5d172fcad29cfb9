// Client enrollment, started: a root's tokens (stored), and the enrollment routes on the deploy in effect; a leaf
// passes requests to its root and answers the token routes with why it does not serve them.
import path from 'node:path';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import type { AgentLog } from '../agentLog.ts';
import { createLoginRateLimiter } from '../administrator/loginRateLimiter.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import { rootsOnly } from '../wire/rootsOnly.ts';
import type { JsonHandler, NotServed } from '../wire/route.ts';
import { clientEnrollmentHandlers } from './clientEnrollment.ts';
import { deployedMaterial } from './deployedMaterial.ts';
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
  now(): number;
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

export async function startEnrollment(options: EnrollmentOptions): Promise<EnrollmentHandlersAtNode> {
  const { self, rootId, role, log } = options;
  const tokens = role === 'root' ? createEnrollmentTokens({ store: jsonStateFile(path.join(options.dataDir, 'enrollment-tokens.json'), EnrollmentTokensFileSchema), now: options.now }) : undefined;
  const tokenProblem = await tokens?.start();
  if (tokenProblem) log('enrollment_tokens_problem', { problem: tokenProblem });
  const handlers = clientEnrollmentHandlers({
    self,
    rootId,
    role,
    tokens,
    material: deployedMaterial({ self, role, openingKey: options.openingKey, current: options.current, runningDigest: options.runningDigest }),
    client: options.client,
    rootTarget: () => options.targetOf(rootNodeName(rootId)),
    limiter: createLoginRateLimiter({ now: options.now }),
    now: options.now,
    log: (event, fields) => log(event, fields),
  });
  const leaf = rootsOnly(self);
  return { peerEnroll: leaf, createEnrollmentToken: leaf, listEnrollmentTokens: leaf, revokeEnrollmentToken: leaf, ...handlers };
}
