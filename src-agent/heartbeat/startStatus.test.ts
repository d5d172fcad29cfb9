import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.ts';
import { startStatus } from './startStatus.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'status-')));
  dirs.push(dir);
  const logged: Array<[string, unknown]> = [];
  const status = await startStatus({ self: 'root-1', clock: createManualClock(1_000), intervalMs: 5_000, dataDir: dir, log: (event, fields) => void logged.push([event, fields]) });
  return { status, dir, logged };
}

describe('startStatus', () => {
  it('remembers the roots its book knew for the next start, and shows the book on the status route', async () => {
    const { status, dir } = await start();
    status.book.heardFrom('root-2');
    await status.settled();
    const restarted = (await start(dir)).status;
    const reply = await restarted.handlers.status.handle({ node: 'root-1', bearer: undefined, address: '127.0.0.1' }, undefined as never);
    expect(reply).toEqual({ json: { node: 'root-1', generatedAt: 1_000, nodes: [{ node: 'root-2', state: 'pending', lastHeartbeat: null, topologyId: null }] } });
  });

  it('logs a corrupt file of known roots and starts knowing none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'status-'));
    await writeFile(path.join(dir, 'known-roots.json'), '{"version": 1, "roots": [7]}');
    const { status, logged } = await start(dir);
    expect(status.book.snapshot().nodes).toEqual([]);
    expect(logged).toEqual([['known_roots_problem', { problem: expect.stringMatching(/^the known roots file was corrupt/) }]]);
  });
});
