import { describe, expect, it } from 'vitest';
import { nodeLabel, rootNames } from './nodeLabel.ts';

const names = rootNames({
  roots: [
    { id: 1, name: 'aws-east', internetAddress: '203.0.113.10', overlay: '10.1.0.0/16', maxClients: 200 },
    { id: 2, name: 'aws-west', internetAddress: '203.0.113.20', overlay: '10.2.0.0/16', maxClients: 100 },
  ],
  tunnels: [],
});

describe('nodeLabel', () => {
  it.each([
    ['root-2', 'aws-west (root-2)'],
    ['leaf-1-2', 'leaf-1-2 of aws-east'],
    ['root-7', 'root-7'],
    ['leaf-7-1', 'leaf-7-1'],
    ['tunnel-1-2', 'tunnel-1-2'],
  ])('%s reads %j', (node, want) => {
    expect(nodeLabel(node, names)).toBe(want);
  });

  it('names nothing without a topology', () => {
    expect(nodeLabel('root-1', rootNames(undefined))).toBe('root-1');
  });
});
