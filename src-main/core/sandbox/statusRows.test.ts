import { describe, expect, it } from 'vitest';
import type { HostNodes, HostView } from '../../../src-shared/sandbox/sandboxControl.ts';
import { statusRows } from './statusRows.ts';

const nodes: HostNodes = {
  phase: 'running',
  nodes: [
    { node: 'root-1', port: 4001, process: 'up' },
    { node: 'leaf-1-1', port: 4002, process: 'stopped' },
    { node: 'root-2', port: null, process: 'failed', reason: 'EADDRINUSE' },
  ],
};

describe('statusRows', () => {
  it("puts the host's process and the overlay's view of each node side by side", () => {
    const view: HostView = {
      ok: true,
      snapshot: {
        node: 'root-1',
        generatedAt: 1,
        nodes: [
          { node: 'root-1', state: 'alive', lastHeartbeat: 10, topologyId: 't1' },
          { node: 'leaf-1-1', state: 'failed', reason: 'apply failed', lastHeartbeat: 5, topologyId: null },
        ],
      },
    };
    expect(statusRows(nodes, view)).toEqual([
      { node: 'root-1', port: 4001, process: 'up', state: 'alive', lastHeartbeat: 10, topologyId: 't1' },
      { node: 'leaf-1-1', port: 4002, process: 'stopped', state: 'failed', lastHeartbeat: 5, topologyId: null, reason: 'apply failed' },
      { node: 'root-2', port: null, process: 'failed', reason: 'EADDRINUSE' },
    ]);
  });

  it('gives the processes alone when no root can say', () => {
    expect(statusRows(nodes, { ok: false, reason: 'no root of the sandbox is up' }).map((r) => Object.keys(r).sort())).toEqual([
      ['node', 'port', 'process'],
      ['node', 'port', 'process'],
      ['node', 'port', 'process', 'reason'],
    ]);
  });
});
