import { describe, expect, it } from 'vitest';
import type { DeployPlanView } from '../../src-shared/contract/overlayContract.ts';
import { diffLineKind, planCounts } from './planSummary.ts';

const plan = (...changes: DeployPlanView['nodes'][number]['change'][]): DeployPlanView => ({
  nodes: changes.map((change, i) => ({ node: `root-${i + 1}`, change, backend: 'dry-run', files: [] })),
  removedTunnels: [],
  keys: [],
});

describe('planCounts', () => {
  it.each([
    [plan(), '0 nodes'],
    [plan('added'), '1 node: 1 added'],
    [plan('unchanged', 'changed', 'unchanged', 'removed', 'changed', 'added'), '6 nodes: 1 added, 2 changed, 2 unchanged, 1 removed'],
  ])('%#: %j', (given, want) => {
    expect(planCounts(given)).toBe(want);
  });
});

describe('diffLineKind', () => {
  it.each([
    ['@@ -1,3 +1,3 @@', 'hunk'],
    ['+set vpn ipsec', 'added'],
    ['-        description "Raincoat root-3 (on-prem)"', 'removed'],
    [' interfaces {', 'context'],
    ['', 'context'],
  ])('%j is %j', (line, want) => {
    expect(diffLineKind(line)).toBe(want);
  });
});
