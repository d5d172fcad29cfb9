// An attack kit: a neighbour (a phantom of the cluster, with its genuine certificate) floods an agent with validly
// signed messages of its own on one flood stream, paced over a minimum duration, and tallies the answers.
import { createPrivateKey } from 'node:crypto';
import { request } from 'node:https';
import { buildUnsignedMessage } from '../../../src-shared/protocol/messages.ts';
import type { MessageBody, MessageType } from '../../../src-shared/protocol/messages.ts';
import { agentApi } from '../../../src-shared/protocol/agentApi.ts';
import { createMessageSigner } from '../../../src-agent/flood/messageSignature.ts';
import type { Cluster } from '../agentCluster.ts';

export interface FloodTally {
  sent: number;
  /** Answers by status (202 taken, 403 forbidden, 429 rate limited, …). */
  answers: Record<number, number>;
  ms: number;
}

/** What a compromised node sends: a mix of the types that are flooded on to other roots (or were, before issue 9). */
function bodyOf(i: number, rootId: number): { type: MessageType; body: MessageBody<MessageType> } {
  const loginId = `attack-${i.toString(36).padStart(6, '0')}`;
  switch (i % 4) {
    case 0:
      return { type: 'i_have_administrator', body: { loginId, user: 'intruder', established: true } };
    case 1:
      return { type: 'acknowledge_administrator', body: { rootId, loginId, granted: true } };
    case 2:
      return { type: 'i_lost_administrator', body: { loginId, reason: 'logout' } };
    default:
      return { type: 'confirm_deploy', body: { topologyId: loginId } };
  }
}

export async function floodAsNeighbour(cluster: Cluster, options: { as: string; to: string; messages: number; minDurationMs: number }): Promise<FloodTally> {
  const phantom = cluster.phantoms.get(options.as);
  const agent = cluster.agents.get(options.to);
  if (!phantom || !agent) throw new Error(`no phantom ${options.as} or agent ${options.to}`);
  const sign = createMessageSigner(createPrivateKey(phantom.keyPem));
  const rootId = Number(/^root-(\d+)$/.exec(options.to)?.[1] ?? 1);
  const started = Date.now();
  const answers: Record<number, number> = {};
  let pendingLine = '';

  const stream = request(`${agent.url}${agentApi.flood.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    cert: phantom.certPem,
    key: phantom.keyPem,
    ca: cluster.controlCa.certPem,
    checkServerIdentity: () => undefined,
    agent: false,
  });
  const answered = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const lines = (pendingLine + chunk).split('\n');
        pendingLine = lines.pop()!;
        for (const line of lines) {
          const status = (JSON.parse(line) as { status: number }).status;
          answers[status] = (answers[status] ?? 0) + 1;
        }
      });
      response.on('end', resolve);
      response.on('error', reject);
    });
  });

  // Batches on a schedule, so that the flood lasts at least minDurationMs (TCP holds it back further if the agent is slower).
  const batches = Math.max(1, Math.ceil(options.minDurationMs / 50));
  const perBatch = Math.ceil(options.messages / batches);
  let sent = 0;
  for (let b = 0; sent < options.messages; b++) {
    let text = '';
    for (let k = 0; k < perBatch && sent < options.messages; k++, sent++) {
      const { type, body } = bodyOf(sent, rootId);
      const unsigned = buildUnsignedMessage(options.as, sent + 1, type, Date.now(), body);
      text += `${JSON.stringify({ n: sent, message: { ...unsigned, sig: sign(unsigned) }, certificate: phantom.certPem })}\n`;
    }
    if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
    const due = started + ((b + 1) * options.minDurationMs) / batches;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  stream.end();
  await answered;
  return { sent, answers, ms: Date.now() - started };
}
