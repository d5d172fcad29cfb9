import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startNeighbours } from './startNeighbours.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('startNeighbours', () => {
  it.each<[string, string | undefined, string[]]>([
    ['with nothing kept from a deploy', undefined, []],
    ['after logging a corrupt file of kept neighbours', '{"version": 1, "topologies": 7}', ['topology_neighbours_problem']],
  ])('starts with the configured neighbours, %s', async (_case, kept, events) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'neighbours-'));
    dirs.push(dataDir);
    if (kept !== undefined) await writeFile(path.join(dataDir, 'topology-neighbours.json'), kept);
    const logged: string[] = [];
    const { table } = await startNeighbours({ self: 'root-1', configured: [{ node: 'root-2', url: 'https://198.51.100.2:7443' }], addresses: [], dataDir, log: (event) => void logged.push(event) });
    expect(table.names()).toEqual(['root-2']);
    expect(table.target('root-2')).toEqual({ node: 'root-2', url: 'https://198.51.100.2:7443' });
    expect(logged).toEqual(events);
  });
});
