import { describe, expect, it } from 'vitest';
import { ControlRefusalSchema, HostFileSchema, SandboxSpecSchema } from './sandboxControl.ts';
import { sandboxNodeNames } from './sandboxNodeNames.ts';

const topology = {
  roots: [
    { id: 2, name: 'two', internetAddress: '198.51.100.2', overlay: '10.2.0.0/16', maxClients: 150 },
    { id: 1, name: 'one', internetAddress: '198.51.100.1', overlay: '10.1.0.0/16', maxClients: 50 },
  ],
  tunnels: [{ a: 1, b: 2 }],
};
const spec = { version: 1, topology, entry: 'root-1', heartbeatIntervalMs: 5_000 };

describe('SandboxSpecSchema', () => {
  it('takes a valid topology', () => {
    expect(SandboxSpecSchema.safeParse(spec).success).toBe(true);
  });

  it.each([
    ['an invalid topology', { ...spec, topology: { ...topology, tunnels: [{ a: 1, b: 7 }] } }, 'topology'],
    ['an entry that is no node name', { ...spec, entry: 'gateway' }, 'entry'],
    ['a heartbeat faster than agents take', { ...spec, heartbeatIntervalMs: 10 }, 'heartbeatIntervalMs'],
  ])('refuses %s', (_, value, path) => {
    expect(SandboxSpecSchema.safeParse(value).error?.issues.map((i) => i.path[0])).toEqual([path]);
  });
});

describe('HostFileSchema', () => {
  it.each([
    [{ pid: 10, port: 4000, token: 'x'.repeat(43) }, true],
    [{ pid: 10, port: 4000, token: 'short' }, false],
    [{ pid: 0, port: 4000, token: 'x'.repeat(43) }, false],
  ])('%j: %s', (value, ok) => {
    expect(HostFileSchema.safeParse(value).success).toBe(ok);
  });
});

describe('ControlRefusalSchema', () => {
  it("takes the agent's refusal codes and internal, nothing else", () => {
    expect([
      ControlRefusalSchema.safeParse({ error: 'conflict', reason: 'r' }).success,
      ControlRefusalSchema.safeParse({ error: 'internal', reason: 'r' }).success,
      ControlRefusalSchema.safeParse({ error: 'oops', reason: 'r' }).success,
    ]).toEqual([true, true, false]);
  });
});

describe('sandboxNodeNames', () => {
  it('names each root, by id, followed by its leaves', () => {
    expect(sandboxNodeNames(topology)).toEqual(['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'leaf-2-2']);
  });
});
