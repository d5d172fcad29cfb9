import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../src-shared/protocol/messages.ts';
import { createTunnelProbe } from './tunnelProbe.ts';

const ADDRESSES: Record<number, string> = { 2: '10.2.0.1', 3: '10.3.0.1' };

/** A probe whose pings to each target are answered as the list says, one entry per ping. */
function setup(answers: Record<string, boolean[]>) {
  const pings: string[] = [];
  const probe = createTunnelProbe(async (source, target) => {
    pings.push(`${source}>${target}`);
    return answers[target]?.shift() ?? true;
  });
  const check = (states: TunnelState[]) => probe.check(states, '10.1.0.1', (peer) => ADDRESSES[peer]);
  return { check, pings };
}

describe('createTunnelProbe', () => {
  it('turns an up tunnel down after two unanswered probes in a row, and up again once answered', async () => {
    const { check, pings } = setup({ '10.2.0.1': [true, false, false, false, true] });
    const up: TunnelState[] = [{ peer: 2, state: 'up' }];
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push((await check(up))[0]!.state);
    expect(seen).toEqual(['up', 'up', 'down', 'down', 'up']);
    expect(pings).toEqual(Array(5).fill('10.1.0.1>10.2.0.1'));
  });

  it('lets one lost probe pass', async () => {
    const { check } = setup({ '10.2.0.1': [false, true, false, true] });
    for (let i = 0; i < 4; i++) expect(await check([{ peer: 2, state: 'up' }])).toEqual([{ peer: 2, state: 'up' }]);
  });

  it.each<[string, TunnelState]>([
    ['a tunnel that is not up by its SAs', { peer: 2, state: 'connecting' }],
    ['a peer whose address is unknown', { peer: 9, state: 'up' }],
  ])('probes not %s, and reports it as the SAs do', async (_case, state) => {
    const { check, pings } = setup({});
    expect(await check([state])).toEqual([state]);
    expect(pings).toEqual([]);
  });

  it('counts each peer apart, and starts counting again once a tunnel was not up', async () => {
    const { check } = setup({ '10.2.0.1': [false, false], '10.3.0.1': [false, false] });
    expect(await check([{ peer: 2, state: 'up' }, { peer: 3, state: 'up' }])).toEqual([{ peer: 2, state: 'up' }, { peer: 3, state: 'up' }]);
    expect(await check([{ peer: 2, state: 'up' }, { peer: 3, state: 'connecting' }])).toEqual([{ peer: 2, state: 'down' }, { peer: 3, state: 'connecting' }]);
    expect(await check([{ peer: 3, state: 'up' }])).toEqual([{ peer: 3, state: 'up' }]);
  });
});
