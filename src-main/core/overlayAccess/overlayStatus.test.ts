import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../../src-shared/protocol/messages.ts';
import { overlayStatus } from './overlayStatus.ts';
import { sampleAccess } from './overlayAccess.testkit.ts';

const snapshot = (nodes: StatusSnapshot['nodes']): StatusSnapshot => ({ node: 'root-1', generatedAt: 10_000, nodes });

describe('overlayStatus', () => {
  it('lists roots in id order, each followed by its leaves, with the exact fields of status --json', () => {
    const rows = overlayStatus(
      sampleAccess(),
      snapshot([
        { node: 'leaf-10-1', state: 'alive', lastHeartbeat: 9_000, topologyId: 't-2' },
        { node: 'root-10', state: 'alive', lastHeartbeat: 9_500, topologyId: 't-2', clientsConnected: 3 },
        { node: 'leaf-1-1', state: 'failed', reason: 'openvpn would not start', lastHeartbeat: 8_000, topologyId: 't-1' },
        { node: 'root-2', state: 'down', lastHeartbeat: 1_000, topologyId: null },
        { node: 'root-1', state: 'alive', lastHeartbeat: 10_000, topologyId: 't-2', tunnels: [{ peer: 2, state: 'down' }] },
        { node: 'leaf-1-2', state: 'pending', lastHeartbeat: null, topologyId: null },
      ]),
    );
    expect(rows).toEqual([
      { id: 1, kind: 'root', name: 'root-1', status: 'alive', lastHeartbeat: 10_000, topologyId: 't-2', tunnels: [{ peer: 2, state: 'down' }] },
      { id: '1-1', kind: 'leaf', name: 'leaf-1-1', status: 'failed', lastHeartbeat: 8_000, topologyId: 't-1', reason: 'openvpn would not start' },
      { id: '1-2', kind: 'leaf', name: 'leaf-1-2', status: 'pending', lastHeartbeat: null, topologyId: null },
      { id: 2, kind: 'root', name: 'root-2', status: 'down', lastHeartbeat: 1_000, topologyId: null },
      { id: 10, kind: 'root', name: 'root-10', status: 'alive', lastHeartbeat: 9_500, topologyId: 't-2', clientsConnected: 3 },
      { id: '10-1', kind: 'leaf', name: 'leaf-10-1', status: 'alive', lastHeartbeat: 9_000, topologyId: 't-2' },
    ]);
    expect(Object.keys(rows[1]!)).toEqual(['id', 'kind', 'name', 'status', 'lastHeartbeat', 'topologyId', 'reason']);
  });

  it.each([
    ['none measured', [undefined, undefined, undefined], undefined],
    ['the leaves measured', [undefined, 4, 2], 6],
    ['one leaf measured', [undefined, undefined, 0], 0],
    ['the root and a leaf', [1, 4, undefined], 5],
  ] as const)("a root's clients are its own and its leaves' (%s)", (_case, [root, leaf1, leaf2], total) => {
    const clients = (n: number | undefined) => (n === undefined ? {} : { clientsConnected: n });
    const rows = overlayStatus(
      sampleAccess(),
      snapshot([
        { node: 'root-1', state: 'alive', lastHeartbeat: 1, topologyId: 't', ...clients(root) },
        { node: 'leaf-1-1', state: 'alive', lastHeartbeat: 1, topologyId: 't', ...clients(leaf1) },
        { node: 'leaf-1-2', state: 'alive', lastHeartbeat: 1, topologyId: 't', ...clients(leaf2) },
        { node: 'leaf-10-1', state: 'alive', lastHeartbeat: 1, topologyId: 't', clientsConnected: 50 },
      ]),
    );
    expect(rows.find((r) => r.name === 'root-1')?.clientsConnected).toBe(total);
    expect(rows.find((r) => r.name === 'leaf-1-1')?.clientsConnected).toBe(leaf1);
  });

  it("shows a root's tunnels, never a leaf's", () => {
    const tunnels = [{ peer: 2, state: 'up' as const }];
    const rows = overlayStatus(sampleAccess(), snapshot([{ node: 'root-1', state: 'alive', lastHeartbeat: 1, topologyId: 't', tunnels }, { node: 'leaf-1-1', state: 'alive', lastHeartbeat: 1, topologyId: 't', tunnels }]));
    expect(rows.find((r) => r.name === 'root-1')?.tunnels).toEqual(tunnels);
    expect(rows.find((r) => r.name === 'leaf-1-1')).not.toHaveProperty('tunnels');
  });

  it('lists a node of the access that the entry root does not report as never heard from', () => {
    expect(overlayStatus(sampleAccess(), snapshot([{ node: 'root-1', state: 'alive', lastHeartbeat: 10_000, topologyId: null }]))).toEqual([
      { id: 1, kind: 'root', name: 'root-1', status: 'alive', lastHeartbeat: 10_000, topologyId: null },
      { id: '1-1', kind: 'leaf', name: 'leaf-1-1', status: 'pending', lastHeartbeat: null, topologyId: null },
    ]);
  });
});
