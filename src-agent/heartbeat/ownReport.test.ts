import { describe, expect, it } from 'vitest';
import { ownReport } from './ownReport.ts';

describe('ownReport', () => {
  it.each([
    [{ state: 'idle', at: 1 }, { state: 'pending', topologyId: null }],
    [{ state: 'deploying', topologyId: 't2', runningTopologyId: 't1', at: 1 }, { state: 'deploying', topologyId: 't1' }],
    [{ state: 'awaiting-confirm', topologyId: 't2', runningTopologyId: 't2', deadlineAt: 5, at: 1 }, { state: 'alive', topologyId: 't2' }],
    [{ state: 'deployed', topologyId: 't2', runningTopologyId: 't2', at: 1 }, { state: 'alive', topologyId: 't2' }],
    [{ state: 'failed', topologyId: 't3', runningTopologyId: 't2', reason: 'apply failed: x; reverted to topology t2', at: 1 }, { state: 'failed', topologyId: 't2', reason: 'apply failed: x; reverted to topology t2' }],
    [{ state: 'removed', topologyId: 't4', at: 1 }, { state: 'pending', topologyId: null }],
  ] as const)('%j reports %j', (status, report) => {
    expect(ownReport(status)).toEqual(report);
  });

  it.each([
    [{}, { state: 'alive', topologyId: 't2' }],
    [{ clientsConnected: 3 }, { state: 'alive', topologyId: 't2', clientsConnected: 3 }],
    [{ tunnels: [{ peer: 2, state: 'down' as const }] }, { state: 'alive', topologyId: 't2', tunnels: [{ peer: 2, state: 'down' }] }],
  ])('adds what the backend measured, %j, and nothing it did not', (measured, report) => {
    expect(ownReport({ state: 'deployed', topologyId: 't2', runningTopologyId: 't2', at: 1 }, measured)).toEqual(report);
  });
});
