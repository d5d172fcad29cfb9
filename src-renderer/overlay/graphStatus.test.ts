import { describe, expect, it } from 'vitest';
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import type { NodeState } from '../../src-shared/protocol/messages.ts';
import type { NodeLook } from './graphStatus.ts';
import { graphStatus as graphStatusOf, keepUnchanged } from './graphStatus.ts';
import { statusByRoot } from './nodeStatus.ts';

/** As the store calls it, with the rows' per-root map. */
const graphStatus = (rows: NodeStatusRowView[], previous: ReadonlyMap<string, NodeLook>) => graphStatusOf(rows, statusByRoot(rows), previous);

const row = (name: string, status: NodeState, lastHeartbeat: number, reason?: string): NodeStatusRowView => ({
  id: name,
  kind: name.startsWith('root-') ? 'root' : 'leaf',
  name,
  status,
  lastHeartbeat,
  topologyId: 't1',
  ...(reason !== undefined && { reason }),
});

describe('graphStatus', () => {
  it('gives each node its status, reason and, for a root, its leaves in a line', () => {
    const looks = graphStatus([row('root-1', 'alive', 1), row('leaf-1-1', 'failed', 1, 'openvpn did not start'), row('root-2', 'down', 1)], new Map());
    expect(Object.fromEntries(looks)).toEqual({
      'root-1': { status: 'alive', reason: undefined, leavesText: '0 of 1 leaf alive, 1 failed' },
      'leaf-1-1': { status: 'failed', reason: 'openvpn did not start', leavesText: undefined },
      'root-2': { status: 'down', reason: undefined, leavesText: 'no leaves' },
    });
  });

  it('keeps the entry of every node whose look a heartbeat did not change, and makes a new one for the node it did', () => {
    const first = graphStatus([row('root-1', 'alive', 1), row('leaf-1-1', 'alive', 1), row('root-2', 'alive', 1)], new Map());
    const next = graphStatus([row('root-1', 'alive', 2), row('leaf-1-1', 'alive', 2), row('root-2', 'down', 2)], first);
    expect(next.get('root-1')).toBe(first.get('root-1'));
    expect(next.get('leaf-1-1')).toBe(first.get('leaf-1-1'));
    expect(next.get('root-2')).not.toBe(first.get('root-2'));
    expect(next.get('root-2')?.status).toBe('down');
  });

  it('makes a root’s entry new when only its leaves changed', () => {
    const first = graphStatus([row('root-1', 'alive', 1), row('leaf-1-1', 'alive', 1)], new Map());
    const next = graphStatus([row('root-1', 'alive', 2), row('leaf-1-1', 'down', 2)], first);
    expect(next.get('root-1')).not.toBe(first.get('root-1'));
    expect(next.get('root-1')?.leavesText).toBe('0 of 1 leaf alive, 1 down');
  });
});

describe('graphStatus: clients connected', () => {
  const withClients = (r: NodeStatusRowView, clientsConnected: number): NodeStatusRowView => ({ ...r, clientsConnected });
  it.each([
    { what: 'a leaf, its own count', rows: [row('root-1', 'alive', 1), withClients(row('leaf-1-1', 'alive', 1), 7)], node: 'leaf-1-1', want: 7 },
    { what: 'a root that reports its own, that count', rows: [withClients(row('root-1', 'alive', 1), 12), withClients(row('leaf-1-1', 'alive', 1), 7)], node: 'root-1', want: 12 },
    {
      what: 'a root that reports none, its leaves’ sum (of those that report)',
      rows: [row('root-1', 'alive', 1), withClients(row('leaf-1-1', 'alive', 1), 7), withClients(row('leaf-1-2', 'alive', 1), 5), row('leaf-1-3', 'down', 1)],
      node: 'root-1',
      want: 12,
    },
    { what: 'a root where no row says, unknown', rows: [row('root-1', 'alive', 1), row('leaf-1-1', 'alive', 1)], node: 'root-1', want: undefined },
    { what: 'a root whose leaves have none connected, 0', rows: [row('root-1', 'alive', 1), withClients(row('leaf-1-1', 'alive', 1), 0)], node: 'root-1', want: 0 },
    { what: 'a leaf that reports none, unknown', rows: [row('leaf-1-1', 'alive', 1)], node: 'leaf-1-1', want: undefined },
  ])('$what', ({ rows, node, want }) => {
    expect(graphStatus(rows, new Map()).get(node)?.clients).toBe(want);
  });

  it('makes a node’s entry new when only its clients changed, and keeps the others', () => {
    const first = graphStatus([row('root-1', 'alive', 1), withClients(row('leaf-1-1', 'alive', 1), 3), row('root-2', 'alive', 1)], new Map());
    const next = graphStatus([row('root-1', 'alive', 2), withClients(row('leaf-1-1', 'alive', 2), 4), row('root-2', 'alive', 2)], first);
    expect(next.get('leaf-1-1')).not.toBe(first.get('leaf-1-1'));
    expect(next.get('root-1')?.clients).toBe(4);
    expect(next.get('root-2')).toBe(first.get('root-2'));
  });
});

describe('keepUnchanged', () => {
  it('replaces equal values by the previous ones, keeping new keys and dropping none', () => {
    const a = { n: 1 };
    const kept = keepUnchanged(new Map([['x', a], ['gone', { n: 0 }]]), new Map([['x', { n: 1 }], ['y', { n: 2 }]]), (p, q) => p.n === q.n);
    expect(kept.get('x')).toBe(a);
    expect([...kept.keys()]).toEqual(['x', 'y']);
  });
});
