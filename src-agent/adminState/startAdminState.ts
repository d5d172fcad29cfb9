// The administrator's state at a root, started: the newest one kept on disk, the session routes that put it and read it
// in pages, the neighbour routes and flooded `admin_state` that carry it to every root, and the heartbeats that tell a
// root it may have missed one.
import path from 'node:path';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { ADMIN_STATE_MAX_BYTES, AdminStateHeadAnswerSchema } from '../../src-shared/protocol/adminState.ts';
import type { AdminStateHead } from '../../src-shared/protocol/adminState.ts';
import type { FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import type { AgentLog } from '../agentLog.ts';
import type { Clock } from '../clock.ts';
import { askInTurn, askNeighbour } from '../wire/askNeighbours.ts';
import { bytesResponder } from '../wire/bytesResponder.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import { Refusal } from '../wire/refusal.ts';
import type { JsonHandler, ResponderHandler } from '../wire/route.ts';
import { createCatchUp } from './catchUp.ts';
import { parseStateCopy } from './stateCopy.ts';
import type { StateCopy } from './stateCopy.ts';
import { stateFile } from './stateFile.ts';
import { statePage } from './statePage.ts';
import { createStateReplica } from './stateReplica.ts';

/** A fetch goes round the neighbour roots this many times, waiting this long between attempts. */
const FETCH_ROUNDS = 3;
const FETCH_RETRY_MS = 2_000;
/** get_admin_state answers in flight at once; each holds the state's bytes (shared) until read. */
const MAX_ANSWERS = 4;

export interface AdminStateOptions {
  rootId: number;
  /** The state's file is in it. */
  dataDir: string;
  clock: Pick<Clock, 'now' | 'sleep' | 'setTimeout' | 'clearTimeout'>;
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  neighbours(): readonly string[];
  /** Floods an `admin_state` with the head of a state put here. */
  originate(head: AdminStateHead): void;
  log: AgentLog;
  maxBytes?: number;
}

export interface AdminStateRoutes {
  putAdminState: JsonHandler<'putAdminState'>;
  readAdminState: JsonHandler<'readAdminState'>;
  adminStateHead: JsonHandler<'adminStateHead'>;
  getAdminState: ResponderHandler<'getAdminState'>;
}

export interface AdminStateFeature {
  messageHandlers: { admin_state(message: FloodMessageOf<'admin_state'>, from: string | null): void };
  /** Every heartbeat this root takes in: a neighbour root heard first, or again after a silence, is asked which state it keeps. */
  onHeartbeat(message: FloodMessageOf<'heartbeat'>): void;
  handlers: AdminStateRoutes;
  /** Resolves when the fetches and writes started so far are done. */
  settled(): Promise<void>;
}

export async function startAdminState(options: AdminStateOptions): Promise<AdminStateFeature> {
  const { clock, log } = options;
  const maxBytes = options.maxBytes ?? ADMIN_STATE_MAX_BYTES;
  const neighbourRoots = () => options.neighbours().filter((node) => parseNodeName(node)?.role === 'root');
  const file = stateFile({
    path: path.join(options.dataDir, 'admin-state.json'),
    maxBytes,
    current: () => replica.current(),
    now: clock.now,
    onError: (error) => log('admin_state_store_failed', { error: String(error) }),
  });
  const loaded = await file.load();
  if (loaded.problem) log('admin_state_file_problem', { problem: loaded.problem });

  const fetchFrom = async (node: string, head: AdminStateHead): Promise<StateCopy> => {
    const body = await askNeighbour(options, node, 'getAdminState', { digest: head.digest }, maxBytes + 4096);
    const read = await parseStateCopy(body, maxBytes);
    if ('problem' in read) throw new Error(`${node} sent a state that is not one: ${read.problem}`);
    if (read.copy.head.digest !== head.digest) throw new Error(`${node} sent another state than ${head.digest}`);
    return read.copy;
  };

  const replica = createStateReplica({
    rootId: options.rootId,
    maxBytes,
    now: clock.now,
    restored: loaded.copy,
    announce: options.originate,
    async fetch(head, order) {
      const fetched = await askInTurn(order, (node) => fetchFrom(node, head), { clock, retryMs: FETCH_RETRY_MS, attempts: FETCH_ROUNDS * order.length });
      return 'value' in fetched ? { copy: fetched.value } : fetched;
    },
    async askHead(node) {
      const body = await askNeighbour(options, node, 'adminStateHead', undefined, 4096);
      return AdminStateHeadAnswerSchema.parse(JSON.parse(body.toString('utf8'))).head;
    },
    neighbourRoots,
    changed: () => file.changed(),
    log,
  });
  const catchUp = createCatchUp();

  return {
    messageHandlers: {
      admin_state(message, from) {
        // Only a root takes a state from the application; the router refuses a leaf's at the first node.
        if (parseNodeName(message.origin)?.role !== 'root') return;
        replica.announced(message.body, from);
      },
    },
    onHeartbeat(message) {
      if (!neighbourRoots().includes(message.origin)) return;
      if (catchUp.heard(message.origin, clock.now(), message.body.intervalMs)) replica.catchUp(message.origin);
    },
    handlers: {
      putAdminState: { handle: async (_caller, state) => ({ json: await replica.put(state) }) },
      readAdminState: { handle: (_caller, wanted) => ({ json: statePage(replica.current(), wanted) }) },
      adminStateHead: { handle: () => ({ json: { head: replica.current()?.head ?? null } }) },
      getAdminState: bytesResponder<'getAdminState'>({
        async bytesFor({ digest }) {
          const copy = await replica.find(digest);
          if (copy === undefined) throw new Refusal('not_found', 'no administrator state with that digest here');
          return copy.bytes;
        },
        clock,
        maxAnswers: MAX_ANSWERS,
        what: 'administrator states',
        errorEvent: 'admin_state_serve_error',
        log,
      }),
    },
    settled: async () => {
      await replica.settled();
      await file.settled();
    },
  };
}
