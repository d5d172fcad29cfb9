import { describe, expect, it } from 'vitest';
import { keptStateText } from '../../../src-shared/protocol/adminState.ts';
import type { AdminStatePage } from '../../../src-shared/protocol/adminState.ts';
import type { BodyIn } from '../../../src-shared/protocol/agentApi.ts';
import type { AgentResult } from '../agentClient/agentAnswer.ts';
import { answered, refused } from '../session/fakeAgent.testkit.ts';
import { keptState, sampleRecord, sealedKeys } from './adminState.testkit.ts';
import { fetchAdminState } from './fetchAdminState.ts';

type Body = BodyIn<'readAdminState'>;

/** A root keeping `texts` in turn (the next one after `changeAfter` reads), `page` characters a page. */
async function rootKeeping(topologyIds: string[], page: number, changeAfter = Infinity) {
  const kept = await Promise.all(topologyIds.map(async (id) => keptStateText(await keptState(sampleRecord(id), await sealedKeys()))));
  const asked: Body[] = [];
  let which = 0;
  const api = {
    async readAdminState(body: Body): Promise<AgentResult<'readAdminState'>> {
      asked.push(body);
      if (asked.length > changeAfter && which < kept.length - 1) which++;
      const { text, head } = kept[which]!;
      if (body.digest !== undefined && body.digest !== head.digest) return refused('conflict', 'the administrator state changed while it was read', 409);
      const offset = body.offset ?? 0;
      const answer: AdminStatePage = { head, offset, text: text.slice(offset, offset + page) };
      return answered<'readAdminState'>(answer);
    },
  };
  return { api, kept, asked };
}

describe('reading the state a root keeps', () => {
  it('reads it page after page, each of the same state, and checks it whole', async () => {
    const root = await rootKeeping(['topo-1'], 200);
    const fetched = await fetchAdminState(root.api);
    expect(fetched).toEqual({ kind: 'state', head: root.kept[0]!.head, kept: JSON.parse(root.kept[0]!.text) });
    const pages = Math.ceil(root.kept[0]!.head.size / 200);
    expect(pages).toBeGreaterThan(1);
    expect(root.asked).toEqual([{ offset: 0 }, ...Array.from({ length: pages - 1 }, (_, i) => ({ offset: (i + 1) * 200, digest: root.kept[0]!.head.digest }))]);
  });

  it('starts over when the state changes while it is read, and reads the new one', async () => {
    const root = await rootKeeping(['topo-1', 'topo-2'], 200, 1);
    const fetched = await fetchAdminState(root.api);
    expect(fetched).toMatchObject({ kind: 'state', head: { topologyId: 'topo-2' } });
  });

  it.each<[string, AgentResult<'readAdminState'>, object]>([
    ['none kept', refused('not_found', 'no administrator state here', 404), { kind: 'none', reason: 'no administrator state here' }],
    ['a refusal', refused('unreachable', 'root-1 at https://127.0.0.1:1: connection refused'), { kind: 'failed', reason: 'root-1 at https://127.0.0.1:1: connection refused' }],
  ])('says so with %s', async (_what, answer, expected) => {
    expect(await fetchAdminState({ readAdminState: async () => answer })).toEqual(expected);
  });

  it('refuses a text that is not the one its head names', async () => {
    const { head, text } = await keptStateText(await keptState(sampleRecord(), await sealedKeys()));
    const forged = text.replace('topo-1', 'topo-9');
    const api = { readAdminState: async (body: Body) => answered<'readAdminState'>({ head, offset: body.offset ?? 0, text: forged.slice(body.offset) }) };
    expect(await fetchAdminState(api)).toEqual({ kind: 'failed', reason: 'the state read is not the one its root named (its digest differs)' });
  });

  it('refuses a state that ends before its size', async () => {
    const { head, text } = await keptStateText(await keptState(sampleRecord(), await sealedKeys()));
    const api = { readAdminState: async (body: Body) => answered<'readAdminState'>({ head, offset: body.offset ?? 0, text: body.offset === 0 ? text.slice(0, 100) : '' }) };
    expect(await fetchAdminState(api)).toEqual({ kind: 'failed', reason: `the state ended at 100 of its ${head.size} bytes` });
  });
});
