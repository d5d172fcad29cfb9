import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { numberOrText, suggestRoot, tunnelsOf } from './edits.ts';

const root = (id: number, second: number, x?: number) => ({
  id,
  name: `c${id}`,
  internetAddress: `203.0.113.${id}`,
  overlay: `10.${second}.0.0/16`,
  maxClients: 100,
  ...(x === undefined ? {} : { position: { x, y: 5 } }),
});
const topology: Topology = { roots: [root(1, 1, 0), root(2, 2, 300), root(4, 3)], tunnels: [{ a: 1, b: 2 }, { a: 4, b: 1 }] };

describe('edits', () => {
  it('finds a root’s tunnels, either end', () => {
    expect(tunnelsOf(topology, 1)).toEqual([{ a: 1, b: 2 }, { a: 4, b: 1 }]);
    expect(tunnelsOf(topology, 2)).toEqual([{ a: 1, b: 2 }]);
    expect(tunnelsOf(topology, 9)).toEqual([]);
  });

  it('suggests the next id, a free overlay and a place to the right', () => {
    expect(suggestRoot(topology)).toEqual({
      id: 5,
      name: '',
      internetAddress: '',
      overlay: '10.4.0.0/16',
      maxClients: 100,
      position: { x: 560, y: 0 },
      cloud: { provider: 'existing' },
    });
    expect(suggestRoot({ roots: [], tunnels: [] })).toMatchObject({ id: 1, overlay: '10.1.0.0/16', position: { x: 0, y: 0 } });
  });

  it('leaves deleted roots their id, overlay and place until the deploy removes them', () => {
    expect(suggestRoot(topology, [root(7, 4, 900)])).toMatchObject({ id: 8, overlay: '10.5.0.0/16', position: { x: 1160, y: 0 } });
  });

  it.each([
    ['250', 250],
    [' 7 ', 7],
    ['2.5', 2.5],
    ['-1', -1],
    ['', ''],
    ['abc', 'abc'],
    ['1e3', '1e3'],
  ])('numberOrText(%j) is %j', (text, want) => {
    expect(numberOrText(text)).toBe(want);
  });
});
