// Asks an agent, as a node of the overlay with that node's own identity, for the status it holds of every node: the
// agent's `status` command and the sandbox host, which sees the sandbox overlay through one of its roots.
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import { StatusSnapshotSchema } from '../../src-shared/protocol/messages.ts';
import type { StatusSnapshot } from '../../src-shared/protocol/messages.ts';
import { loadIdentity } from '../identity/identityStore.ts';
import { createPeerClient } from '../wire/peerClient.ts';

type StatusAnswer = { ok: true; snapshot: StatusSnapshot } | { ok: false; reason: string };

/** `node`'s identity is read from `dataDir` (an IdentityError when it is not there); the agent asked is at `url`. */
export async function askStatus(dataDir: string, node: string, url: string): Promise<StatusAnswer> {
  const identity = await loadIdentity(dataDir, node);
  const client = createPeerClient({ keyPem: identity.keyPem, certPem: identity.certPem, caPem: identity.caPem, timeoutMs: 5_000, defaultMaxBytes: 16 * 1024 * 1024 });
  try {
    const response = await client.request({ node, url }, agentApi.status.method, agentApi.status.path);
    if (response.status !== 200) return { ok: false, reason: `the agent answered ${response.status}: ${response.body.toString('utf8')}` };
    return { ok: true, snapshot: StatusSnapshotSchema.parse(JSON.parse(response.body.toString('utf8'))) };
  } catch (error) {
    return { ok: false, reason: `cannot reach the agent at ${new URL(url).host}: ${(error as Error).message}` };
  } finally {
    client.close();
  }
}
