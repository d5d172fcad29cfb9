import { describe, expect, it } from 'vitest';
import { rememberedBends, tunnelBends } from './tunnelBends.ts';
import { BEND } from './tunnelPath.ts';

const node = (id: string, x: number, y: number) => ({ id, position: { x, y }, measured: { width: 220, height: 150 } });
const column = [node('root-1', 0, 0), node('root-2', 0, 250), node('root-3', 0, 500)];
const tunnels = [
  { id: 'tunnel-1-3', source: 'root-1', target: 'root-3' },
  { id: 'tunnel-1-2', source: 'root-1', target: 'root-2' },
];

describe('tunnelBends', () => {
  it('bends a tunnel past a root in its way, and leaves the others the usual bend', () => {
    const bends = tunnelBends(column, tunnels);
    expect(bends.get('tunnel-1-3')).not.toBe(BEND);
    expect(bends.get('tunnel-1-2')).toBe(BEND);
  });

  it('leaves the usual bend once the root is out of the way', () => {
    expect(tunnelBends([column[0]!, node('root-2', 900, 250), column[2]!], tunnels).get('tunnel-1-3')).toBe(BEND);
  });

  it('works bends out again only when a root moved or the tunnels changed', () => {
    const bendsOf = rememberedBends();
    const first = bendsOf(column, tunnels);
    expect(bendsOf(column.map((n) => ({ ...n })), [...tunnels])).toBe(first);
    const moved = bendsOf([column[0]!, node('root-2', 900, 250), column[2]!], tunnels);
    expect(moved).not.toBe(first);
    expect(bendsOf(column, tunnels.slice(1))).not.toBe(moved);
  });
});
