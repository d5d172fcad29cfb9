// Flooding at one node, started: who signs as whom, one stream per neighbour, the sender and the router, the seen-set
// kept across restarts, and the flood route (with the testing routes on a test agent).
import path from 'node:path';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import type { AgentLog } from '../agentLog.ts';
import type { Clock } from '../clock.ts';
import type { Identity } from '../identity/identityStore.ts';
import { messageSeqFile } from '../identity/messageSeqFile.ts';
import { createNodeCertificates } from '../identity/nodeCertificates.ts';
import type { NeighbourTable } from '../neighbours/neighbourTable.ts';
import { createFloodStreams } from '../wire/floodStreamClient.ts';
import { floodStreamHandler } from '../wire/floodStreamServer.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import type { RefusalCounter } from '../wire/refusal.ts';
import type { Handlers, StreamHandler } from '../wire/route.ts';
import { mayOriginate, overlayShouldSend } from './forwardPolicy.ts';
import { createMessageSigner, createMessageVerifier } from './messageSignature.ts';
import { createOriginBudget } from './originBudget.ts';
import { createFloodRouter } from './router.ts';
import type { FloodRouter } from './router.ts';
import { createSeenSet } from './seenSet.ts';
import { SeenSetFileSchema } from './seenSetFile.ts';
import { createSender } from './sender.ts';
import { createSeqCounter } from './seqCounter.ts';
import { createHandledLog, testingHandlers } from './testingHandlers.ts';

/** A message not acknowledged by then ends its neighbour's stream: the neighbour is gone or stuck. */
const ACK_TIMEOUT_MS = 10_000;

/** The handler of each message type this node acts on, by type: the features' own. */
export type MessageHandlers = { [T in FloodMessage['type']]?: (message: Extract<FloodMessage, { type: T }>, from: string | null) => void };

export interface FloodingOptions {
  self: string;
  identity: Identity;
  neighbours: NeighbourTable;
  client: PeerClient;
  clock: Clock;
  /** Holds the message sequence and the seen-set from one run to the next. */
  dataDir: string;
  /**
   * The handlers of the messages this node accepts, read as each message comes: the features that fill it are started
   * after the router, since they flood through it.
   */
  messageHandlers: Readonly<MessageHandlers>;
  /** Counts the flood route's refusals with the server's. */
  refusals: RefusalCounter;
  maxLineBytes: number;
  /** Serve the testing routes and log when each message was handled. */
  testing: boolean;
  log: AgentLog;
}

export interface Flooding {
  router: FloodRouter;
  /** The flood route, and the testing routes on a test agent. */
  handlers: { flood: StreamHandler } & Handlers;
  /** Stops sending: queued messages are dropped and the neighbours' streams close. */
  close(): void;
  /** This node's renewed identity certificate, carried with its messages from now on. */
  renewCertificate(certPem: string): void;
  /** Keeps the seen-set for the next start, once nothing more is received. */
  saveSeen(): Promise<void>;
}

export async function startFlooding(options: FloodingOptions): Promise<Flooding> {
  const { self, identity, neighbours, client, clock, messageHandlers, log } = options;
  const certificates = createNodeCertificates(identity.ca, clock.now);
  const own = certificates.learn(identity.certPem);
  if ('refused' in own) throw new Error(`own certificate: ${own.refused}`);
  const streams = createFloodStreams({ client, targetOf: neighbours.target, certificates, ackTimeoutMs: ACK_TIMEOUT_MS, clock });
  const sender = createSender({ transport: streams.deliver, clock });
  const seq = createSeqCounter(messageSeqFile(options.dataDir));
  const handled = options.testing ? createHandledLog() : undefined;
  // The seen-set outlives a restart: otherwise a restarted node would take again, as new, any message of the last ten
  // minutes that a neighbour replays to it.
  const seenFile = jsonStateFile(path.join(options.dataDir, 'seen-messages.json'), SeenSetFileSchema);
  const seenRead = await seenFile.load();
  if (seenRead.kind === 'corrupt') log('seen_set_corrupt', { reason: seenRead.reason, keptAs: seenRead.keptAs });
  const seen = createSeenSet({ now: clock.now, restored: seenRead.kind === 'ok' ? seenRead.value.entries : [] });
  const router = createFloodRouter({
    self,
    seen,
    neighbours: neighbours.names,
    verify: createMessageVerifier(certificates.publicKeyOf),
    sign: createMessageSigner(identity.key),
    nextSeq: () => seq.next(),
    now: clock.now,
    handle: (message, from) => {
      handled?.record(message.id);
      (messageHandlers[message.type] as ((m: FloodMessage, f: string | null) => void) | undefined)?.(message, from);
    },
    send: (to, message) => sender.send(to, message),
    shouldSend: overlayShouldSend,
    mayOriginate,
    budget: createOriginBudget({ now: clock.now }),
    onHandlerError: (error, message) => log('handler_error', { id: message.id, type: message.type, error: String(error) }),
  });
  return {
    router,
    handlers: {
      flood: floodStreamHandler({ router, certificates, refusals: options.refusals, maxLineBytes: options.maxLineBytes, clock }),
      ...(handled ? testingHandlers(router, sender, handled, options.refusals) : {}),
    },
    close() {
      sender.close();
      streams.close();
    },
    renewCertificate(certPem) {
      const renewed = certificates.learn(certPem);
      if ('refused' in renewed) throw new Error(`own certificate: ${renewed.refused}`);
    },
    async saveSeen() {
      await seenFile.save({ version: 1, entries: seen.entries() }).catch((error: unknown) => log('seen_set_save_failed', { error: String(error) }));
    },
  };
}
