// Tokens for another root's client VMs. The root where the administrator is logged in makes the token, floods a grant
// carrying only its hash, and answers once that root took it; a root takes grants only from the root whose established
// administrator lock it honours, so a grant asks for no trust the lock does not already give.
import { parseNodeName, rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { TokenInfo } from '../../src-shared/protocol/enrollmentToken.ts';
import type { AdministratorClaim, FloodMessageOf, MessageBody } from '../../src-shared/protocol/messages.ts';
import type { Clock } from '../clock.ts';
import { Refusal } from '../wire/refusal.ts';
import { boundReason } from '../wire/refusalReason.ts';
import { mintToken, tokenInfo } from './enrollmentTokens.ts';
import type { EnrollmentTokens, TokenRequest } from './enrollmentTokens.ts';

type GrantMessage = 'enrollment_grant' | 'enrollment_grant_answer';
type Answer = MessageBody<'enrollment_grant_answer'>;

/** A flood crosses an overlay in well under a second; past this the granted root is down or cut off. */
export const GRANT_ANSWER_WITHIN_MS = 10_000;

export interface EnrollmentGrantsOptions {
  rootId: number;
  tokens: EnrollmentTokens;
  /** The administrator claim this root honours (the lock's holder). */
  holder(): AdministratorClaim | null;
  /** Floods a message: the router's originate. */
  originate<T extends GrantMessage>(type: T, body: MessageBody<T>): void;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  answerWithinMs?: number;
  log(event: string, fields: Record<string, unknown>): void;
}

export interface EnrollmentGrants {
  /** At the session's root: a token made for root `rootId`, once that root keeps it. */
  grant(rootId: number, request: TokenRequest): Promise<{ token: string; info: TokenInfo }>;
  /** At the session's root: root `rootId` revokes one of the tokens granted to it. */
  revoke(rootId: number, tokenId: string): Promise<void>;
  messageHandlers: {
    enrollment_grant(message: FloodMessageOf<'enrollment_grant'>): void;
    enrollment_grant_answer(message: FloodMessageOf<'enrollment_grant_answer'>): void;
  };
}

/** Why a grant of root `from` under its login `loginId` is not taken, given the claim this root honours; undefined when it is. */
export function grantRefusal(holder: AdministratorClaim | null, from: number, loginId: string): string | undefined {
  if (holder === null) return 'no administrator holds the overlay lock here';
  if (holder.rootId !== from) return `the administrator lock here is held at ${rootNodeName(holder.rootId)}, not ${rootNodeName(from)}`;
  if (holder.loginId !== loginId) return `the login of ${rootNodeName(from)} established here is another one`;
  if (!holder.established) return `the administrator's login at ${rootNodeName(from)} is not established here yet`;
  return undefined;
}

export function createEnrollmentGrants(options: EnrollmentGrantsOptions): EnrollmentGrants {
  const { rootId: self, tokens, clock, log } = options;
  const within = options.answerWithinMs ?? GRANT_ANSWER_WITHIN_MS;
  const waiting = new Map<string, (answer: Answer) => void>();
  const key = (action: Answer['action'], rootId: number, tokenId: string) => `${action} ${rootId} ${tokenId}`;

  /** The lock's login this root's session holds: a grant names it, and the granted root checks it against its own view. */
  const ownLogin = (): string => {
    const held = options.holder();
    if (held?.rootId !== self || !held.established) throw new Refusal('unavailable', `the administrator logged in at ${rootNodeName(self)} does not hold the overlay lock now`);
    return held.loginId;
  };

  const ask = (grant: MessageBody<'enrollment_grant'>, tokenId: string) =>
    new Promise<void>((resolve, reject) => {
      const target = rootNodeName(grant.rootId);
      const waitingFor = key(grant.action, grant.rootId, tokenId);
      const timer = clock.setTimeout(() => {
        waiting.delete(waitingFor);
        reject(new Refusal('unavailable', `${target} did not answer within ${within / 1000} s: it is down, or cut off from ${rootNodeName(self)}`));
      }, within);
      waiting.set(waitingFor, (answer) => {
        clock.clearTimeout(timer);
        waiting.delete(waitingFor);
        if (answer.done) resolve();
        else reject(new Refusal('forbidden', `${target} refused: ${answer.reason ?? 'it gave no reason'}`));
      });
      options.originate('enrollment_grant', grant);
    });

  return {
    async grant(rootId, request) {
      const loginId = ownLogin();
      const { token, record } = mintToken(request, clock.now());
      await ask({ action: 'grant', rootId, loginId, token: record }, record.id);
      return { token, info: tokenInfo(record) };
    },

    async revoke(rootId, tokenId) {
      await ask({ action: 'revoke', rootId, loginId: ownLogin(), tokenId }, tokenId);
    },

    messageHandlers: {
      enrollment_grant({ origin, body }) {
        if (body.rootId !== self) return;
        // The router hands on only roots' messages of this type (forwardPolicy's mayOriginate).
        const from = parseNodeName(origin)!.rootId;
        const tokenId = body.action === 'grant' ? body.token.id : body.tokenId;
        const answer = (done: boolean, reason?: string) => {
          log(done ? 'enrollment_grant_taken' : 'enrollment_grant_refused', { from: origin, action: body.action, token: tokenId, ...(reason === undefined ? {} : { reason }) });
          options.originate('enrollment_grant_answer', { rootId: from, action: body.action, tokenId, done, ...(reason === undefined ? {} : { reason: boundReason(reason) }) });
        };
        const refused = grantRefusal(options.holder(), from, body.loginId);
        if (refused !== undefined) return answer(false, refused);
        const taking = body.action === 'grant' ? tokens.keep(body.token).then(() => true) : tokens.revoke(body.tokenId);
        taking.then(
          (done) => answer(done, done ? undefined : `no enrollment token ${tokenId} here`),
          (error: unknown) => answer(false, `it could not be stored: ${error instanceof Error ? error.message : String(error)}`),
        );
      },

      enrollment_grant_answer({ origin, body }) {
        if (body.rootId !== self) return;
        waiting.get(key(body.action, parseNodeName(origin)!.rootId, body.tokenId))?.(body);
      },
    },
  };
}
