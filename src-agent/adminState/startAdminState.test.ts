import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleAdminState } from '../../src-shared/protocol/adminState.testkit.ts';
import type { AdminStateHead } from '../../src-shared/protocol/adminState.ts';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import type { FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import { createManualClock } from '../clock.ts';
import type { PeerClient, PeerResponse } from '../wire/peerClient.ts';
import type { Caller, JsonHandler } from '../wire/route.ts';
import { stateCopy } from './stateCopy.ts';
import type { StateCopy } from './stateCopy.ts';
import { startAdminState } from './startAdminState.ts';

const SESSION: Caller = { node: undefined, bearer: 'session-token-0123456789', address: '127.0.0.1' };
const SIG = 'A'.repeat(86);

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'raincoat-admin-state-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function copyOf(topologyId: string, storedAt: number): Promise<StateCopy> {
  const made = await stateCopy({ version: 1, storedAt, storedBy: 3, state: sampleAdminState(topologyId) }, 1 << 20);
  if (!('copy' in made)) throw new Error(made.problem);
  return made.copy;
}

/** root-1 with neighbours root-2, root-3 and leaf-1-1; the neighbours answer from `theirs` (root-2's and root-3's states). */
async function start(theirs: Map<string, StateCopy> = new Map()) {
  const clock = createManualClock(Date.parse('2026-12-08T10:00:00Z'));
  const requests: string[] = [];
  const originated: AdminStateHead[] = [];
  const client: PeerClient = {
    async request(target, _method, requestPath, json): Promise<PeerResponse> {
      requests.push(`${target.node} ${requestPath}`);
      const held = theirs.get(target.node);
      const answer = (status: number, value: unknown) => ({ status, body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });
      if (requestPath === agentApi.adminStateHead.path) return answer(200, { head: held?.head ?? null });
      if (held && (json as { digest: string }).digest === held.head.digest) return answer(200, held.bytes.toString('utf8'));
      return answer(404, { error: 'not_found' });
    },
    open: () => {
      throw new Error('not used');
    },
    close: () => undefined,
  };
  const feature = await startAdminState({
    rootId: 1,
    dataDir,
    clock,
    client,
    targetOf: (node) => ({ node, url: `https://${node}.invalid` }),
    neighbours: () => ['root-2', 'root-3', 'leaf-1-1'],
    originate: (head) => originated.push(head),
    log: () => undefined,
  });
  const json = async <K extends 'putAdminState' | 'readAdminState' | 'adminStateHead'>(name: K, body: unknown) => {
    const reply = await (feature.handlers[name] as JsonHandler<K>).handle(SESSION, body as never);
    return 'json' in reply ? reply.json : undefined;
  };
  return { feature, clock, requests, originated, json };
}

const heartbeat = (origin: string, intervalMs = 1_000): FloodMessageOf<'heartbeat'> => ({ id: `${origin}.1`, origin, type: 'heartbeat', ts: 0, sig: SIG, body: { state: 'alive', topologyId: null, intervalMs } });

describe('the administrator state at a root', () => {
  it('keeps a state put in a session, announces it, gives it in pages and by its head, and has it again after a restart', async () => {
    const root = await start();
    const put = await root.json('putAdminState', sampleAdminState('topology-1'));
    expect(put).toMatchObject({ kept: 'new', head: { topologyId: 'topology-1', storedBy: 1 } });
    expect(root.originated).toEqual([put!.head]);
    const page = await root.json('readAdminState', { offset: 0 });
    expect(JSON.parse((page as { text: string }).text)).toMatchObject({ storedBy: 1, state: sampleAdminState('topology-1') });
    expect(await root.json('adminStateHead', undefined)).toEqual({ head: put!.head });
    await root.feature.settled();

    const again = await start();
    expect(await again.json('adminStateHead', undefined)).toEqual({ head: put!.head });
  });

  it('asks a neighbour root heard for the first time which state it keeps, and fetches a newer one from it; never a leaf', async () => {
    const theirs = await copyOf('topology-9', Date.parse('2026-12-08T09:00:00Z'));
    const root = await start(new Map([['root-3', theirs]]));
    root.feature.onHeartbeat(heartbeat('leaf-1-1'));
    root.feature.onHeartbeat(heartbeat('root-7'));
    root.feature.onHeartbeat(heartbeat('root-3'));
    root.feature.onHeartbeat(heartbeat('root-3'));
    await root.feature.settled();
    expect(root.requests).toEqual(['root-3 /v1/admin-state/head', 'root-3 /v1/admin-state/get']);
    expect(await root.json('adminStateHead', undefined)).toEqual({ head: theirs.head });
  });

  it('fetches a state a root announced from the neighbour that passed it on; not one a leaf would announce', async () => {
    const theirs = await copyOf('topology-9', Date.parse('2026-12-08T09:00:00Z'));
    const root = await start(new Map([['root-2', theirs]]));
    const announcement = (origin: string): FloodMessageOf<'admin_state'> => ({ id: `${origin}.2`, origin, type: 'admin_state', ts: 0, sig: SIG, body: theirs.head });
    root.feature.messageHandlers.admin_state(announcement('leaf-3-1'), 'root-2');
    await root.feature.settled();
    expect(root.requests).toEqual([]);
    root.feature.messageHandlers.admin_state(announcement('root-3'), 'root-2');
    await root.feature.settled();
    expect(root.requests).toEqual(['root-2 /v1/admin-state/get']);
    expect(await root.json('adminStateHead', undefined)).toEqual({ head: theirs.head });
  });
});
