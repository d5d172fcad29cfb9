import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CallOutput } from '../../../src-shared/contract/contract.ts';
import { calls } from '../../../src-shared/contract/contract.ts';
import type { ReachabilityMatrix, Separation, WhatIf } from '../../../src-shared/routing/reachability.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { reachabilityCore } from './reachabilityCore.ts';

const names = { 1: 'on-prem', 2: 'aws-east', 3: 'gcp-west' } as const;
let pending: Topology = { roots: [1, 2, 3].map((id) => makeRoot(id, { name: names[id as 1] })), tunnels: [{ a: 1, b: 2 }] };
const core = reachabilityCore(() => pending);

describe('reachabilityCore', () => {
  it('gives the contract the shared functions’ types', () => {
    expectTypeOf<CallOutput<'reachability.get'>>().toEqualTypeOf<{ warnings: Separation[]; matrix: ReachabilityMatrix }>();
    expectTypeOf<CallOutput<'reachability.without'>>().toEqualTypeOf<WhatIf>();
  });

  it('answers for the pending topology as it is at each call, in what the contract allows', async () => {
    const first = await core.handlers['reachability.get']();
    expect(calls['reachability.get'].output.parse(first)).toEqual({
      warnings: [{ from: [1, 2], to: [3], message: 'on-prem and the 1 root joined to it cannot reach gcp-west: no path of tunnels' }],
      matrix: { rootIds: [1, 2, 3], tunnels: [[0, 1, null], [1, 0, null], [null, null, 0]] },
    });
    pending = { ...pending, tunnels: [...pending.tunnels, { a: 3, b: 2 }] };
    expect((await core.handlers['reachability.get']()).warnings).toEqual([]);
  });

  it.each([
    [{ kind: 'root', id: 2 } as const, { ok: true, lost: [{ from: [1], to: [3], message: 'on-prem and gcp-west would lose each other' }] }],
    [{ kind: 'tunnel', a: 1, b: 3 } as const, { ok: false, reason: 'there is no tunnel-1-3' }],
  ])('what if %j went away', async (removal, answer) => {
    pending = { roots: pending.roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };
    const got = await core.handlers['reachability.without'](removal);
    expect(calls['reachability.without'].output.parse(got)).toEqual(answer);
  });

  it('refuses a removal the contract does not describe', () => {
    expect(calls['reachability.without'].input.safeParse({ kind: 'leaf', id: 1 }).success).toBe(false);
    expect(calls['reachability.without'].input.safeParse({ kind: 'root', id: 0 }).success).toBe(false);
  });
});
