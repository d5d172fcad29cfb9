import { describe, expect, it } from 'vitest';
import { fixtureKeys, samplePlan } from './fixtureKeys.testkit.ts';
import { profileLeavesWithoutAddress } from './overlayFacts.ts';

const plan = samplePlan('pair');
const keys = await fixtureKeys(plan, { clientsPerRoot: 1 });

describe('profileLeavesWithoutAddress', () => {
  it.each([
    ['no addresses: every leaf a profile lists', {}, ['leaf-1-1', 'leaf-1-2', 'leaf-1-3', 'leaf-2-1', 'leaf-2-2', 'leaf-2-3']],
    ['some known', { 'leaf-1-2': '198.51.100.12', 'leaf-2-1': '198.51.100.21', 'root-1': '198.51.100.1' }, ['leaf-1-1', 'leaf-1-3', 'leaf-2-2', 'leaf-2-3']],
    [
      'all known',
      Object.fromEntries(plan.roots.flatMap((r) => r.leaves).map((l, i) => [l.nodeName, `198.51.100.${i + 1}`])),
      [],
    ],
  ])('%s', (_, addresses: Record<string, string>, expected: string[]) => {
    expect(profileLeavesWithoutAddress(plan, keys, { addresses })).toEqual(expected);
  });

  it('leaves out the leaves of roots without client profiles: no profile names them', () => {
    const onlyRoot2 = { ...keys, clients: Object.fromEntries(Object.entries(keys.clients).filter(([, c]) => c.rootId === 2)) };
    expect(profileLeavesWithoutAddress(plan, onlyRoot2, {})).toEqual(['leaf-2-1', 'leaf-2-2', 'leaf-2-3']);
  });
});
