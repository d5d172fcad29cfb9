import { describe, expect, it } from 'vitest';
import { SandboxSpecSchema } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { sandboxSpec } from './sandboxSpec.ts';

const root = (id: number) => ({ id, name: `r${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 10 });

describe('sandboxSpec', () => {
  it('enters at the lowest root id, wherever it is listed, and beats as real agents do by default', () => {
    const topology: Topology = { roots: [root(7), root(3), root(5)], tunnels: [] };
    const spec = sandboxSpec(topology);
    expect(spec).toEqual({ version: 1, topology, entry: 'root-3', heartbeatIntervalMs: 5_000 });
    expect(SandboxSpecSchema.parse(spec)).toEqual(spec);
  });
});
