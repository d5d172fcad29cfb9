import { describe, expect, it } from 'vitest';
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import type { TunnelState } from './tunnelStatus.ts';
import { tunnelState, tunnelStatus } from './tunnelStatus.ts';

describe('tunnelState', () => {
  it.each<[TunnelState | undefined, TunnelState | undefined, TunnelState | undefined]>([
    ['up', 'up', 'up'],
    ['up', 'down', 'down'],
    ['down', 'connecting', 'down'],
    [undefined, 'down', 'down'],
    ['up', 'connecting', 'connecting'],
    ['connecting', 'connecting', 'connecting'],
    ['up', undefined, 'up'],
    [undefined, 'connecting', 'connecting'],
    [undefined, undefined, undefined],
  ])('%s and %s make %s', (a, b, want) => {
    expect(tunnelState(a, b)).toBe(want);
    expect(tunnelState(b, a), 'either way round').toBe(want);
  });
});

const root = (id: number, tunnels?: NodeStatusRowView['tunnels']): NodeStatusRowView => ({
  id,
  kind: 'root',
  name: `root-${id}`,
  status: 'alive',
  lastHeartbeat: 1,
  topologyId: 't1',
  ...(tunnels && { tunnels }),
});

describe('tunnelStatus', () => {
  it('joins what both ends of each tunnel say, by tunnel name, and leaves out what no root reports', () => {
    const rows = [
      root(1, [
        { peer: 2, state: 'up' },
        { peer: 3, state: 'up' },
      ]),
      root(2, [{ peer: 1, state: 'up' }]),
      root(3, [
        { peer: 1, state: 'down' },
        { peer: 4, state: 'connecting' },
      ]),
      root(4),
      { id: '1-1', kind: 'leaf', name: 'leaf-1-1', status: 'alive', lastHeartbeat: 1, topologyId: 't1' } satisfies NodeStatusRowView,
    ];
    expect(Object.fromEntries(tunnelStatus(rows))).toEqual({ 'tunnel-1-2': 'up', 'tunnel-1-3': 'down', 'tunnel-3-4': 'connecting' });
  });

  it('counts each end once, whichever reports first', () => {
    const up = root(2, [{ peer: 1, state: 'up' }]);
    const connecting = root(1, [{ peer: 2, state: 'connecting' }]);
    expect(tunnelStatus([up, connecting]).get('tunnel-1-2')).toBe('connecting');
    expect(tunnelStatus([connecting, up]).get('tunnel-1-2')).toBe('connecting');
  });

  it('is empty when no root reports its tunnels', () => {
    expect(tunnelStatus([root(1), root(2)]).size).toBe(0);
  });
});
