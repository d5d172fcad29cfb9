import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeStatus } from '../../src-shared/protocol/messages.ts';
import { BackendConfigSchema } from '../backends/createBackend.ts';
import { fakeRunner } from '../backends/fakes.testkit.ts';
import { createManualClock } from '../clock.ts';
import { LIST_CONNS, LIST_SAS } from './recorded.testkit.ts';
import { startTunnels } from './startTunnels.ts';

const root = (id: number) => ({ id, name: `cloud ${id}`, internetAddress: `192.0.2.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 10, cloud: { provider: 'existing' as const } });
const TWO_ROOTS = { roots: [root(1), root(2)], tunnels: [{ a: 1, b: 2 }] };

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'tunnels-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Root 1 of two on a linux backend whose charon lists the recorded tunnel up; `peer` is what root 2's heartbeats said. */
function setup(peer: NodeStatus | undefined, options: { kind?: 'linux' | 'dry-run'; pingAnswers?: boolean } = {}) {
  const clock = createManualClock();
  const runner = fakeRunner(({ args }) => (args.includes('ping') ? { code: options.pingAnswers === false ? 1 : 0 } : { stdout: args.includes('--list-conns') ? LIST_CONNS : LIST_SAS }));
  const logged: string[] = [];
  let beats = 0;
  const backend = options.kind === 'dry-run' ? BackendConfigSchema.parse({ kind: 'dry-run', dir }) : BackendConfigSchema.parse({ kind: 'linux', root: join(dir, 'etc'), runDir: join(dir, 'run') });
  const tunnels = startTunnels({
    backend,
    selfRootId: 1,
    dataDir: dir,
    overlay: () => TWO_ROOTS,
    statusOf: (node) => (node === 'root-2' ? peer : undefined),
    busy: () => false,
    onMeasured: () => beats++,
    clock,
    log: (event) => logged.push(event),
    runner: runner.run,
  });
  return { clock, runner, tunnels, logged, beats: () => beats };
}

describe('startTunnels', () => {
  it('measures its tunnels, probing each from its own uplink address to the peer’s, and asks for a heartbeat on a change', async () => {
    const { clock, runner, tunnels, beats } = setup(undefined);
    tunnels.start();
    await clock.advanceAsync(0);
    expect(tunnels.latest()).toEqual({ tunnels: [{ peer: 2, state: 'up' }] });
    expect(runner.calls.filter((c) => c.command === 'ping').map((c) => c.args.slice(-3).join(' '))).toEqual(['-I 10.1.0.1 10.2.0.1']);
    expect(beats()).toBe(1);
    tunnels.stop();
  });

  it.each<[string, NodeStatus | undefined, boolean]>([
    ['root 2 says the tunnel is down', { node: 'root-2', state: 'alive', lastHeartbeat: 1, topologyId: 't', tunnels: [{ peer: 1, state: 'down' }] }, true],
    ['root 2 said so, but is down itself (its report is stale)', { node: 'root-2', state: 'down', lastHeartbeat: 1, topologyId: 't', tunnels: [{ peer: 1, state: 'down' }] }, false],
    ['root 2 says it is up', { node: 'root-2', state: 'alive', lastHeartbeat: 1, topologyId: 't', tunnels: [{ peer: 1, state: 'up' }] }, false],
    ['root 2 was never heard', undefined, false],
  ])('reroutes on another root’s heartbeat when %s: %s', async (_case, peer, rerouted) => {
    const { clock, tunnels, logged, runner } = setup(peer);
    await mkdir(join(dir, 'etc', 'swanctl'), { recursive: true });
    await writeFile(join(dir, 'etc', 'swanctl', 'swanctl.conf'), 'connections {\n    tunnel-1-2 {\n        children {\n            tunnel-1-2 {\n                local_ts = 10.1.0.0/16\n                remote_ts = 10.2.0.0/16\n            }\n        }\n    }\n}\n');
    tunnels.heard();
    // The decision is taken on the clock; the files it writes take real time.
    await clock.advanceAsync(1_000);
    if (!rerouted) {
      expect(logged).toEqual([]);
    } else {
      await vi.waitFor(() => expect(logged).toEqual(['reroute']));
      expect(await readFile(join(dir, 'rerouted-swanctl.conf'), 'utf8')).toContain('tunnel-1-2-probe {\n                local_ts = 10.1.0.1/32\n                remote_ts = 10.2.0.1/32\n');
      expect(runner.calls.map((c) => c.args.slice(0, 2).join(' '))).toContain('--load-conns --file');
    }
  });

  it('measures nothing and reroutes nothing on a dry-run node', async () => {
    const down: NodeStatus = { node: 'root-2', state: 'alive', lastHeartbeat: 1, topologyId: 't', tunnels: [{ peer: 1, state: 'down' }] };
    const { clock, tunnels, runner, logged } = setup(down, { kind: 'dry-run' });
    tunnels.start();
    tunnels.heard();
    await clock.advanceAsync(5_000);
    expect(tunnels.latest()).toEqual({});
    expect(runner.calls).toEqual([]);
    expect(logged).toEqual([]);
  });
});
