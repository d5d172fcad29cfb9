import { describe, expect, it } from 'vitest';
import { parseListConns, parseListSas, type ChildSa, type IkeSa } from '../../src-node/swanctlPretty.ts';
import { LIST_CONNS, LIST_SAS } from './recorded.testkit.ts';
import { tunnelPeer, tunnelStates } from './tunnelStates.ts';

const child = (state: string): ChildSa => ({ ...parseListSas(LIST_SAS)[0]!.children[0]!, state });
const sa = (name: string, state: string, children: ChildSa[]): IkeSa => ({ ...parseListSas(LIST_SAS)[0]!, name, state, children });

describe('tunnelPeer', () => {
  it.each([
    ['tunnel-1-2', 1, 2],
    ['tunnel-1-2', 2, 1],
    ['tunnel-3-12', 12, 3],
    ['tunnel-1-2', 3, undefined],
    ['tunnel-1-2-t2', 1, undefined],
    ['s2s', 1, undefined],
    ['tunnel-01-2', 2, undefined],
  ])('%s seen from root %i: peer %s', (connection, self, peer) => {
    expect(tunnelPeer(connection, self)).toBe(peer);
  });
});

describe('tunnelStates', () => {
  it('reads the recorded listing of a root with its tunnel up', () => {
    expect(tunnelStates(parseListConns(LIST_CONNS), parseListSas(LIST_SAS), 1)).toEqual([{ peer: 2, state: 'up' }]);
  });

  it.each([
    ['no SA', [], 'down'],
    ['an IKE_SA still connecting', [sa('tunnel-1-2', 'CONNECTING', [])], 'connecting'],
    ['an IKE_SA up without CHILD_SA', [sa('tunnel-1-2', 'ESTABLISHED', [])], 'connecting'],
    ['a CHILD_SA being installed', [sa('tunnel-1-2', 'ESTABLISHED', [child('INSTALLING')])], 'connecting'],
    ['a duplicate IKE_SA next to the working one', [sa('tunnel-1-2', 'CONNECTING', []), sa('tunnel-1-2', 'ESTABLISHED', [child('INSTALLED')])], 'up'],
    ['an IKE_SA being deleted with its CHILD_SA', [sa('tunnel-1-2', 'DELETING', [child('INSTALLED')])], 'connecting'],
    ['only an SA of another tunnel', [sa('tunnel-1-3', 'ESTABLISHED', [child('INSTALLED')])], 'down'],
  ] as const)('a loaded tunnel with %s is %s', (_case, sas, state) => {
    expect(tunnelStates(['tunnel-1-2'], sas, 1)).toEqual([{ peer: 2, state }]);
  });

  it('lists each loaded tunnel of this root once, by peer, and nothing else', () => {
    const sas = [sa('tunnel-2-9', 'ESTABLISHED', [child('INSTALLED')]), sa('tunnel-1-2', 'ESTABLISHED', [child('INSTALLED')])];
    expect(tunnelStates(['tunnel-2-9', 'other', 'tunnel-1-2', 'tunnel-3-4', 'tunnel-2-9'], sas, 2)).toEqual([
      { peer: 1, state: 'up' },
      { peer: 9, state: 'up' },
    ]);
  });

  it('ignores the SAs of a connection no longer loaded', () => {
    expect(tunnelStates([], [sa('tunnel-1-2', 'ESTABLISHED', [child('INSTALLED')])], 1)).toEqual([]);
  });
});
