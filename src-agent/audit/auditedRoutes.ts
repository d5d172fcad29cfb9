// The routes whose calls the audit trail records, wrapped around their handlers: a login accepted or refused, a logout,
// a deploy posted and confirmed at its entry root, each recorded once its handler has answered (or refused, for a login).
import { auditReason } from '../../src-shared/protocol/audit.ts';
import type { RootEvent } from '../../src-shared/protocol/audit.ts';
import type { RouteName } from '../../src-shared/protocol/agentApi.ts';
import { Refusal } from '../wire/refusal.ts';
import type { Caller, JsonHandler, Reply } from '../wire/route.ts';

export interface RecordedRoutes {
  login: JsonHandler<'login'>;
  logout: JsonHandler<'logout'>;
  deploy: JsonHandler<'deploy'>;
  confirmDeploy: JsonHandler<'confirmDeploy'>;
}

export interface RouteRecorder {
  /** Records what `user` did from `address`, at `at` (epoch ms) when given, else now. */
  record(event: RootEvent, by: { user: string | undefined; address: string; at?: number }): void;
  /** Records a login refused to someone who typed `user`, as far as the refusal records let it. */
  refused(user: string, address: string, refusal: Refusal): void;
  /** The administrator a session token belongs to. */
  userOf(token: string): string | undefined;
  now(): number;
}

type Answered<K extends RouteName> = Extract<Reply<K>, { json: unknown }>['json'];

/** The handler, with `record` told its caller, body and JSON answer once it answered. */
function recording<K extends RouteName>(handler: JsonHandler<K>, record: (caller: Caller, answer: Answered<K>, body: Parameters<JsonHandler<K>['handle']>[1]) => void): JsonHandler<K> {
  return {
    async handle(caller, body) {
      const reply = await handler.handle(caller, body);
      if ('json' in reply) record(caller, reply.json, body);
      return reply;
    },
  };
}

export function auditedRoutes(routes: RecordedRoutes, recorder: RouteRecorder): RecordedRoutes {
  const { record, userOf } = recorder;
  const sessionUser = (caller: Caller) => (caller.bearer === undefined ? undefined : userOf(caller.bearer));
  return {
    login: {
      async handle(caller, attempt) {
        // A login is recorded at the time it was asked for: the lock it asks for may be held before its answer is out
        // (a new password is stored meanwhile), and the trail reads in time order.
        const at = recorder.now();
        try {
          const reply = await routes.login.handle(caller, attempt);
          if ('json' in reply) record({ kind: 'login', lock: reply.json.progress.phase === 'active' ? 'held' : 'waiting' }, { user: userOf(reply.json.session), address: caller.address, at });
          return reply;
        } catch (error) {
          if (error instanceof Refusal) recorder.refused(attempt.user, caller.address, error);
          throw error;
        }
      },
    },
    logout: {
      async handle(caller, body) {
        // Asked before the handler ends the session: the token names nobody after.
        const user = sessionUser(caller);
        const reply = await routes.logout.handle(caller, body);
        record({ kind: 'logout' }, { user, address: caller.address });
        return reply;
      },
    },
    deploy: recording(routes.deploy, (caller, { topologyId, digest }, pkg) =>
      record({ kind: 'deploy-posted', topologyId, digest, nodes: Object.keys(pkg.nodes).length }, { user: sessionUser(caller), address: caller.address }),
    ),
    confirmDeploy: recording(routes.confirmDeploy, (caller, { result, reason }, { topologyId }) => {
      // A retry after a lost answer finds the deploy confirmed already: the first one was recorded.
      if (result === 'already-confirmed') return;
      record({ kind: 'deploy-confirmed', topologyId, ...(result === 'ignored' && reason !== undefined ? { reason: auditReason(reason) } : {}) }, { user: sessionUser(caller), address: caller.address });
    }),
  };
}
