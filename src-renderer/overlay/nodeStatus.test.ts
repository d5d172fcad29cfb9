import { describe, expect, it } from 'vitest';
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import type { NodeState } from '../../src-shared/protocol/messages.ts';
import { heartbeatAge, leavesSummary, statusByRoot } from './nodeStatus.ts';

const row = (name: string, status: NodeState): NodeStatusRowView => ({
  id: name,
  kind: name.startsWith('root-') ? 'root' : 'leaf',
  name,
  status,
  lastHeartbeat: 1_000,
  topologyId: 't1',
});

describe('statusByRoot', () => {
  it('puts each leaf under its root, whatever the order of the rows', () => {
    const rows = [row('leaf-2-1', 'down'), row('root-1', 'alive'), row('leaf-1-1', 'alive'), row('root-2', 'alive'), row('leaf-1-2', 'alive')];
    const byRoot = statusByRoot(rows);
    expect([...byRoot.keys()]).toEqual(['root-1', 'root-2']);
    expect(byRoot.get('root-1')).toEqual({ root: rows[1], leaves: [rows[2], rows[4]], leavesText: '2 of 2 leaves alive' });
    expect(byRoot.get('root-2')?.leavesText).toBe('0 of 1 leaf alive, 1 down');
  });
});

describe('leavesSummary', () => {
  it.each<[NodeState[], string]>([
    [[], 'no leaves'],
    [['alive'], '1 of 1 leaf alive'],
    [['alive', 'alive', 'alive'], '3 of 3 leaves alive'],
    [['failed', 'alive', 'pending', 'down', 'failed'], '1 of 5 leaves alive, 1 pending, 1 down, 2 failed'],
    [['deploying', 'deploying'], '0 of 2 leaves alive, 2 deploying'],
  ])('%j reads %j', (states, want) => {
    expect(leavesSummary(states.map((s, i) => row(`leaf-1-${i + 1}`, s)))).toBe(want);
  });
});

describe('heartbeatAge', () => {
  it.each([
    [null, 'never'],
    [100_000, '0 s ago'],
    [100_400, '0 s ago'],
    [98_500, '2 s ago'],
    [100_000 - 59_000, '59 s ago'],
    [100_000 - 61_000, '1 min ago'],
    [100_000 - 3_600_000, '1 h ago'],
    [100_000 - 47 * 3_600_000, '47 h ago'],
    [100_000 - 72 * 3_600_000, '3 days ago'],
  ])('heard at %j, read at 100000: %j', (lastHeartbeat, want) => {
    expect(heartbeatAge(lastHeartbeat, 100_000)).toBe(want);
  });
});
