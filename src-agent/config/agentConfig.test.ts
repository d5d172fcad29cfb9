import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src-shared/validation/zodProblems.ts';
import { validateAgentConfig } from './agentConfig.ts';

const minimal = { node: 'root-1', listen: { host: '127.0.0.1', port: 0 }, dataDir: '/var/lib/raincoat', backend: { kind: 'dry-run', dir: '/var/lib/raincoat/dry-run' } };

function messages(input: unknown): string[] {
  const result = validateAgentConfig(input);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('validateAgentConfig', () => {
  it('fills the defaults the issue names', () => {
    const result = validateAgentConfig(minimal);
    expect(result.ok && result.config).toMatchObject({ neighbours: [], heartbeatIntervalMs: 5_000, adminIdleMs: 1_800_000, deployConfirmMs: 600_000, testing: false });
    expect(result.ok && result.config.connections).toEqual({ total: 4096, uncertified: 256, uncertifiedPerAddress: 32, perNode: 16 });
  });

  it.each([
    [{ ...minimal, node: 'router-1' }, 'node: expected a node name such as "root-1" or "leaf-1-2", found "router-1"'],
    [{ ...minimal, listen: { host: 'localhost', port: 7443 } }, 'listen.host: expected an IPv4 address to listen on, such as "0.0.0.0", found "localhost"'],
    [{ ...minimal, listen: { host: '0.0.0.0', port: 70000 } }, 'listen.port: expected a TCP port from 0 to 65535 (0: any free port), found 70000'],
    [{ ...minimal, dataDir: 'relative/dir' }, 'dataDir: expected an absolute directory path, found "relative/dir"'],
    [{ ...minimal, backend: { kind: 'dry-run', dir: 'out' } }, 'backend.dir: expected an absolute path, found "out"'],
    [{ ...minimal, heartbeatIntervalMs: 1.5 }, 'heartbeatIntervalMs: expected the heartbeat interval: an integer number of milliseconds from 100 to 3600000, found 1.5'],
    [{ ...minimal, neighbours: [{ node: 'root-2', url: 'http://10.0.0.2:7443' }] }, 'neighbours[0].url: expected an https URL with host and port only, such as "https://203.0.113.5:7443", found "http://10.0.0.2:7443"'],
    [{ ...minimal, neighbours: [{ node: 'root-2', url: 'https://10.0.0.2' }] }, 'neighbours[0].url: expected an https URL with host and port only, such as "https://203.0.113.5:7443", found "https://10.0.0.2"'],
    [{ ...minimal, neighbours: [{ node: 'root-2', url: 'https://10.0.0.2:7443/x' }] }, 'neighbours[0].url: expected an https URL with host and port only, such as "https://203.0.113.5:7443", found "https://10.0.0.2:7443/x"'],
    [{ ...minimal, colour: 'red' }, 'colour: unknown field'],
    [{ ...minimal, connections: { total: 0 } }, 'connections.total: expected connections in all: an integer from 1 to 1000000, found 0'],
    [{ ...minimal, connections: { total: 100 } }, 'connections.uncertified: expected at most the total (100), found 256'],
    [{ listen: minimal.listen, dataDir: '/d', backend: minimal.backend }, 'node: missing, expected a node name such as "root-1" or "leaf-1-2"'],
    [[], 'config: expected an agent configuration object, found an array of 0'],
  ])('reports %j as one precise message', (input, message) => {
    expect(messages(input)).toEqual([message]);
  });

  it('reports every problem at once', () => {
    expect(messages({ ...minimal, node: 7, dataDir: 'x' })).toHaveLength(2);
  });

  it.each([
    [[{ node: 'root-1', url: 'https://10.0.0.1:7443' }], 'neighbours[0].node: "root-1" is this node itself'],
    [[{ node: 'root-2', url: 'https://10.0.0.2:7443' }, { node: 'root-2', url: 'https://10.0.0.3:7443' }], 'neighbours[1].node: "root-2" is already listed at neighbours[0]'],
  ])('refuses neighbour lists that cannot be right', (neighbours, message) => {
    expect(messages({ ...minimal, neighbours })).toEqual([message]);
  });
});
