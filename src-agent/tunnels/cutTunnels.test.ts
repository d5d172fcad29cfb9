import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../src-shared/protocol/messages.ts';
import { cutTunnels } from './cutTunnels.ts';

type State = TunnelState['state'] | undefined;
const TUNNEL = [{ a: 1, b: 2 }];

describe('cutTunnels', () => {
  it.each<[string, State, State, boolean, boolean]>([
    ['both ends up', 'up', 'up', false, false],
    ['nobody reports (a deploy just applied, or no measurement)', undefined, undefined, false, false],
    ['both ends still connecting after a deploy', 'connecting', 'connecting', false, false],
    ['one end down', 'down', 'up', false, true],
    ['the other end down', undefined, 'down', false, true],
    ['cut, the keeping end retrying', 'connecting', 'down', true, true],
    ['cut, one end up again but the other still down', 'up', 'down', true, true],
    ['cut, one end up again, the other connecting', 'up', 'connecting', true, false],
    ['cut, both up again', 'up', 'up', true, false],
    ['cut, only connecting on both ends', 'connecting', 'connecting', true, true],
    ['cut, nobody reports any more', undefined, undefined, true, true],
  ])('%s: cut %s', (_case, a, b, wasCut, isCut) => {
    const reports: Record<string, State> = { '1>2': a, '2>1': b };
    const cut = cutTunnels(TUNNEL, (root, peer) => reports[`${root}>${peer}`], new Set(wasCut ? ['tunnel-1-2'] : []));
    expect(cut.has('tunnel-1-2')).toBe(isCut);
  });

  it('names each cut tunnel by its lower root first, and leaves the others live', () => {
    const down = (root: number, peer: number) => (root === 3 && peer === 1 ? 'down' : 'up');
    expect([...cutTunnels([{ a: 1, b: 2 }, { a: 3, b: 1 }, { a: 2, b: 3 }], down, new Set())]).toEqual(['tunnel-1-3']);
  });
});
