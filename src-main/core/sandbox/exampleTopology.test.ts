import { describe, expect, it } from 'vitest';
import { sandboxNodeNames } from '../../../src-shared/sandbox/sandboxNodeNames.ts';
import { exampleTopology } from './exampleTopology.ts';

describe('exampleTopology', () => {
  it('is a valid topology of three roots in a triangle with five leaves', () => {
    const topology = exampleTopology();
    expect(topology.tunnels).toHaveLength(3);
    expect(sandboxNodeNames(topology)).toEqual(['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'leaf-2-2', 'root-3', 'leaf-3-1']);
  });
});
