import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { sandboxAgentConfig, sandboxNodes } from './sandboxNodes.ts';

const root = (id: number, maxClients: number) => ({ id, name: `r${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients });
/** A chain 1 – 2 – 3: root-1 and root-3 are no neighbours. */
const chain: Topology = { roots: [root(1, 200), root(2, 50), root(3, 50)], tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };

describe('sandboxNodes', () => {
  it("gives each root its tunnel peers and leaves, and each leaf its root, as a deployed topology would", () => {
    expect(sandboxNodes(chain)).toEqual([
      { node: 'root-1', neighbours: ['root-2', 'leaf-1-1', 'leaf-1-2'] },
      { node: 'leaf-1-1', neighbours: ['root-1'] },
      { node: 'leaf-1-2', neighbours: ['root-1'] },
      { node: 'root-2', neighbours: ['root-1', 'root-3', 'leaf-2-1'] },
      { node: 'leaf-2-1', neighbours: ['root-2'] },
      { node: 'root-3', neighbours: ['root-2', 'leaf-3-1'] },
      { node: 'leaf-3-1', neighbours: ['root-3'] },
    ]);
  });
});

describe('sandboxAgentConfig', () => {
  const node = { node: 'root-2', neighbours: ['root-1', 'root-3', 'leaf-2-1'] };

  it('gives a root the loopback address of every other root, for a tunnel a deploy adds; a leaf none', () => {
    const ports = new Map([['root-1', 4001], ['root-3', 4003], ['leaf-3-1', 4031], ['root-4', 4004]]);
    const chainEnd = sandboxAgentConfig('/sb', { heartbeatIntervalMs: 2_000 }, { node: 'root-1', neighbours: ['root-2'] }, 0, ports);
    expect(chainEnd.addresses).toEqual([
      { node: 'root-3', url: 'https://127.0.0.1:4003' },
      { node: 'root-4', url: 'https://127.0.0.1:4004' },
    ]);
    expect(sandboxAgentConfig('/sb', { heartbeatIntervalMs: 2_000 }, { node: 'leaf-3-1', neighbours: ['root-3'] }, 0, ports).addresses).toEqual([]);
  });

  it('runs the node on 127.0.0.1 from a folder of its own, with a dry-run backend and its neighbours on loopback', () => {
    const config = sandboxAgentConfig('/sb', { heartbeatIntervalMs: 2_000 }, node, 0, new Map([['root-1', 4001], ['root-3', 4003], ['leaf-2-1', 4021]]));
    expect(config).toMatchObject({
      node: 'root-2',
      listen: { host: '127.0.0.1', port: 0 },
      dataDir: '/sb/nodes/root-2',
      backend: { kind: 'dry-run', dir: '/sb/nodes/root-2/dry-run' },
      heartbeatIntervalMs: 2_000,
      testing: false,
      neighbours: [
        { node: 'root-1', url: 'https://127.0.0.1:4001' },
        { node: 'root-3', url: 'https://127.0.0.1:4003' },
        { node: 'leaf-2-1', url: 'https://127.0.0.1:4021' },
      ],
    });
  });

  it('leaves out the neighbours that do not listen yet, and keeps the port it is given', () => {
    const config = sandboxAgentConfig('/sb', { heartbeatIntervalMs: 5_000 }, node, 4002, new Map([['root-3', 4003]]));
    expect(config.neighbours).toEqual([{ node: 'root-3', url: 'https://127.0.0.1:4003' }]);
    expect(config.listen.port).toBe(4002);
  });

  it('lets every local connection in, since all of them come from 127.0.0.1', () => {
    const config = sandboxAgentConfig('/sb', { heartbeatIntervalMs: 5_000 }, node, 0, new Map());
    expect(config.connections.uncertifiedPerAddress).toBe(config.connections.uncertified);
  });
});
