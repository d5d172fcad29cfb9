import { describe, expect, it } from 'vitest';
import { sampleAdminState } from '../../src-shared/protocol/adminState.testkit.ts';
import type { AdminStateHead } from '../../src-shared/protocol/adminState.ts';
import { Refusal } from '../wire/refusal.ts';
import { stateCopy } from './stateCopy.ts';
import type { StateCopy } from './stateCopy.ts';
import { createStateReplica, MAX_STATE_FETCHES } from './stateReplica.ts';
import type { StateReplicaOptions } from './stateReplica.ts';

/** A state another root kept, stamped by it. */
async function copyOf(topologyId: string, storedAt: number, storedBy = 3): Promise<StateCopy> {
  const made = await stateCopy({ version: 1, storedAt, storedBy, state: sampleAdminState(topologyId) }, 1 << 20);
  if (!('copy' in made)) throw new Error(made.problem);
  return made.copy;
}

/** A replica at root-1 whose neighbours root-2 and root-3 answer from `held` (a fetch waits for `release` when held back). */
function setup(options: { restored?: StateCopy; now?: number; holdFetches?: boolean } = {}) {
  const held = new Map<string, StateCopy>();
  const heads = new Map<string, AdminStateHead | null | Error>();
  const announced: AdminStateHead[] = [];
  const fetches: string[] = [];
  const logs: string[] = [];
  const waiting: Array<() => void> = [];
  let writes = 0;
  let now = options.now ?? 10_000;
  const replicaOptions: StateReplicaOptions = {
    rootId: 1,
    maxBytes: 1 << 20,
    now: () => now,
    restored: options.restored,
    announce: (head) => announced.push(head),
    async fetch(head, order) {
      fetches.push(`${head.topologyId} from ${order.join(',')}`);
      if (options.holdFetches) await new Promise<void>((resolve) => waiting.push(resolve));
      const copy = held.get(head.digest);
      return copy ? { copy } : { failed: `nobody has ${head.topologyId}` };
    },
    async askHead(node) {
      const head = heads.get(node);
      if (head instanceof Error) throw head;
      return head ?? null;
    },
    neighbourRoots: () => ['root-2', 'root-3'],
    changed: () => writes++,
    log: (event, fields) => logs.push(`${event} ${String(fields['topologyId'] ?? fields['node'])}${fields['reason'] ? `: ${String(fields['reason'])}` : ''}${fields['error'] ? `: ${String(fields['error'])}` : ''}`),
  };
  const replica = createStateReplica(replicaOptions);
  return {
    replica,
    held,
    heads,
    announced,
    fetches,
    logs,
    writes: () => writes,
    setNow: (t: number) => (now = t),
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

describe('a state put at this root', () => {
  it('is kept stamped with this root and its clock, written, and announced', async () => {
    const t = setup();
    const answer = await t.replica.put(sampleAdminState('topology-1'));
    expect(answer).toEqual({ kept: 'new', head: { topologyId: 'topology-1', storedAt: 10_000, storedBy: 1, digest: expect.any(String), size: expect.any(Number) } });
    expect(t.replica.current()?.head).toEqual(answer.head);
    expect(t.announced).toEqual([answer.head]);
    expect(t.writes()).toBe(1);
  });

  it('changes nothing when it is the very state kept (a put repeated)', async () => {
    const t = setup();
    const first = await t.replica.put(sampleAdminState('topology-1'));
    t.setNow(20_000);
    expect(await t.replica.put(sampleAdminState('topology-1'))).toEqual({ kept: 'same', head: first.head });
    expect(t.announced).toHaveLength(1);
    expect(t.writes()).toBe(1);
  });

  it('is newer than the one kept even when this root’s clock went back', async () => {
    const t = setup({ restored: await copyOf('topology-0', 50_000) });
    const answer = await t.replica.put(sampleAdminState('topology-1'));
    expect(answer.head.storedAt).toBe(50_001);
    expect(t.replica.current()?.head.topologyId).toBe('topology-1');
  });

  it('is refused past the bound, and nothing changes', async () => {
    const t = setup();
    const refused = await t.replica.put(sampleAdminState('topology-1', 2 << 20)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Refusal);
    expect(refused).toMatchObject({ code: 'too_large', message: expect.stringMatching(/^the state is \d+ bytes, more than the 1048576 a root keeps$/) });
    expect(t.replica.current()).toBeUndefined();
    expect(t.announced).toEqual([]);
  });
});

describe('a state another root announced', () => {
  it('is fetched from the neighbour that told this root first, kept and written; not announced again', async () => {
    const t = setup();
    const copy = await copyOf('topology-1', 5_000);
    t.held.set(copy.head.digest, copy);
    t.replica.announced(copy.head, 'root-3');
    await t.replica.settled();
    expect(t.fetches).toEqual(['topology-1 from root-3,root-2']);
    expect(t.replica.current()).toBe(copy);
    expect(t.writes()).toBe(1);
    expect(t.announced).toEqual([]);
    expect(t.logs).toEqual(['admin_state_kept topology-1']);
  });

  it.each([
    ['an older one', 4_000],
    ['the one kept', 5_000],
  ])('is not fetched when it is %s', async (_what, storedAt) => {
    const kept = await copyOf('topology-1', 5_000);
    const t = setup({ restored: kept });
    t.replica.announced(storedAt === 5_000 ? kept.head : (await copyOf('topology-0', storedAt)).head, 'root-2');
    await t.replica.settled();
    expect(t.fetches).toEqual([]);
    expect(t.replica.current()).toBe(kept);
  });

  it('is fetched once however often it is announced, and a neighbour asking meanwhile gets it once fetched', async () => {
    const t = setup({ holdFetches: true });
    const copy = await copyOf('topology-1', 5_000);
    t.held.set(copy.head.digest, copy);
    t.replica.announced(copy.head, 'root-2');
    t.replica.announced(copy.head, 'root-3');
    const asked = t.replica.find(copy.head.digest);
    t.release();
    expect(await asked).toBe(copy);
    await t.replica.settled();
    expect(t.fetches).toHaveLength(1);
    expect(await t.replica.find(copy.head.digest)).toBe(copy);
    expect(await t.replica.find(`sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });

  it(`is let go, and said so, when ${MAX_STATE_FETCHES} are being fetched already or it is past the bound`, async () => {
    const t = setup({ holdFetches: true });
    for (let i = 1; i <= MAX_STATE_FETCHES + 1; i++) t.replica.announced((await copyOf(`topology-${i}`, 5_000 + i)).head, 'root-2');
    t.replica.announced({ ...(await copyOf('topology-big', 9_000)).head, size: 2 << 20 }, 'root-2');
    t.release();
    await t.replica.settled();
    expect(t.fetches).toHaveLength(MAX_STATE_FETCHES);
    expect(t.logs).toEqual([
      `admin_state_ignored topology-${MAX_STATE_FETCHES + 1}: ${MAX_STATE_FETCHES} states are being fetched already`,
      'admin_state_ignored topology-big: 2097152 bytes, more than the 1048576 kept',
      'admin_state_fetch_failed topology-1: nobody has topology-1',
      'admin_state_fetch_failed topology-2: nobody has topology-2',
    ]);
  });

  it('fetched after a newer one was put here, is not kept', async () => {
    const t = setup({ holdFetches: true, now: 10_000 });
    const older = await copyOf('topology-1', 5_000);
    t.held.set(older.head.digest, older);
    t.replica.announced(older.head, 'root-2');
    const put = await t.replica.put(sampleAdminState('topology-2'));
    t.release();
    await t.replica.settled();
    expect(t.replica.current()?.head).toEqual(put.head);
  });
});

describe('a neighbour asked which state it keeps', () => {
  it('gives a newer one, fetched from it first', async () => {
    const t = setup({ restored: await copyOf('topology-0', 1_000) });
    const copy = await copyOf('topology-1', 5_000);
    t.held.set(copy.head.digest, copy);
    t.heads.set('root-3', copy.head);
    t.replica.catchUp('root-3');
    await t.replica.settled();
    expect(t.fetches).toEqual(['topology-1 from root-3,root-2']);
    expect(t.replica.current()).toBe(copy);
  });

  it.each([
    ['none', null],
    ['an older one', 'older'],
    ['no answer', new Error('root-2 answered 503')],
  ] as const)('with %s, changes nothing', async (_what, answer) => {
    const kept = await copyOf('topology-1', 5_000);
    const t = setup({ restored: kept });
    t.heads.set('root-2', answer === 'older' ? (await copyOf('topology-0', 1_000)).head : answer);
    t.replica.catchUp('root-2');
    await t.replica.settled();
    expect(t.fetches).toEqual([]);
    expect(t.replica.current()).toBe(kept);
    expect(t.logs).toEqual(answer instanceof Error ? ['admin_state_head_failed root-2: root-2 answered 503'] : []);
  });
});
