import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../src-shared/protocol/messages.ts';
import { fakeRunner } from '../backends/fakes.testkit.ts';
import { createManualClock } from '../clock.ts';
import { TRIANGLE_ROOT_3_CONF } from './recorded.testkit.ts';
import type { RerouteTopology } from './reroutePlan.ts';
import { createRerouter } from './rerouter.ts';

const root = (id: number) => ({ id, overlay: `10.${id}.0.0/16`, probeAddress: `10.${id}.0.1` });
const TRIANGLE: RerouteTopology = { roots: [1, 2, 3].map(root), tunnels: [{ a: 1, b: 2 }, { a: 1, b: 3 }, { a: 2, b: 3 }] };

/** Root 3 of the triangle (the transit root when 1-2 is cut), with reports set by the test as `'<root>>'<peer>'`. */
function setup(options: { busy?: boolean; failLoad?: boolean } = {}) {
  const clock = createManualClock();
  const reports = new Map<string, TunnelState['state']>();
  const written: string[] = [];
  const logged: Array<[string, Record<string, unknown> | undefined]> = [];
  const runner = fakeRunner(({ args }) => (options.failLoad && args.includes('--load-conns') ? { code: 1, stderr: 'loading connection failed' } : {}));
  const rerouter = createRerouter({
    selfRootId: 3,
    swanctl: { runner: runner.run, binary: 'swanctl', env: { STRONGSWAN_CONF: '/s.conf' }, uriArgs: ['--uri', 'unix:///v'] },
    files: {
      deployedPath: '/etc/raincoat/swanctl/swanctl.conf',
      readDeployed: async () => TRIANGLE_ROOT_3_CONF,
      writeRerouted: async (text) => (written.push(text), '/var/lib/raincoat/rerouted-swanctl.conf'),
    },
    overlay: () => TRIANGLE,
    reportOf: (r, peer) => reports.get(`${r}>${peer}`),
    busy: () => options.busy ?? false,
    clock,
    settleMs: 1_000,
    log: (event, fields) => logged.push([event, fields]),
  });
  const commands = () => runner.calls.map((c) => [c.command, ...c.args].join(' '));
  const set = (entries: Record<string, TunnelState['state'] | undefined>) => {
    for (const [key, state] of Object.entries(entries)) {
      if (state === undefined) reports.delete(key);
      else reports.set(key, state);
    }
    rerouter.update();
  };
  const advance = async (ms: number) => {
    await clock.advanceAsync(ms);
    await rerouter.settled();
  };
  return { rerouter, commands, written, logged, set, advance, runner };
}

describe('createRerouter', () => {
  it('routes around a cut tunnel once the decision has settled, and back once it carries again', async () => {
    const { rerouter, commands, written, logged, set, advance } = setup();
    set({ '1>2': 'up', '2>1': 'up', '1>3': 'up', '3>1': 'up', '2>3': 'up', '3>2': 'up' });
    await advance(5_000);
    expect(commands()).toEqual([]);

    // Root 1 reports 1-2 down (its probe went unanswered): root 3 carries clouds 1 and 2 after the settling time.
    set({ '1>2': 'down' });
    await advance(999);
    expect(commands()).toEqual([]);
    await advance(1);
    expect(commands()).toEqual([
      'ip -4 addr replace 10.1.255.255/32 dev lo',
      'swanctl --load-conns --file /var/lib/raincoat/rerouted-swanctl.conf --uri unix:///v',
    ]);
    expect(written[0]).toContain('                local_ts = 10.2.0.0/15\n                remote_ts = 10.1.0.0/16\n');
    expect(written[0]).toContain('                local_ts = 10.1.0.0/16, 10.3.0.0/16\n                remote_ts = 10.2.0.0/16\n');
    expect([...rerouter.inEffect()]).toEqual(['tunnel-1-2']);
    expect(logged).toEqual([['reroute', expect.objectContaining({ cut: ['tunnel-1-2'], newlyCut: ['tunnel-1-2'], restored: [], anchors: ['10.1.255.255/32'] })]]);

    // Root 1's keeping end retries (connecting): still cut. Both ends up again: back to the deployed connections.
    set({ '1>2': 'connecting', '2>1': 'down' });
    await advance(5_000);
    set({ '1>2': 'up', '2>1': 'up' });
    await advance(1_000);
    expect(commands().slice(2)).toEqual(['swanctl --load-conns --file /etc/raincoat/swanctl/swanctl.conf --uri unix:///v', 'ip -4 addr del 10.1.255.255/32 dev lo']);
    expect(logged.map(([event, fields]) => [event, fields?.restored])).toEqual([['reroute', []], ['reroute', ['tunnel-1-2']]]);
  });

  it('ends its own newly cut tunnel at once, then loads it with its probe only', async () => {
    const { commands, written, set, advance } = setup();
    set({ '3>2': 'down' });
    await advance(1_000);
    expect(commands()[0]).toBe('swanctl --terminate --ike tunnel-2-3 --force --uri unix:///v');
    expect(commands().at(-1)).toBe('swanctl --load-conns --file /var/lib/raincoat/rerouted-swanctl.conf --uri unix:///v');
    expect(written[0]).toContain('            tunnel-2-3-probe {\n                local_ts = 10.3.0.1/32\n                remote_ts = 10.2.0.1/32\n');
  });

  it('moves nothing for a tunnel that flaps within the settling time', async () => {
    const { commands, set, advance } = setup();
    for (let i = 0; i < 5; i++) {
      set({ '1>2': 'down' });
      await advance(400);
      set({ '1>2': 'up' });
      await advance(400);
    }
    await advance(5_000);
    expect(commands()).toEqual([]);
  });

  it('after a deploy loaded its own file, loads its decision again without ending the probe’s SA', async () => {
    const { rerouter, commands, set, advance } = setup();
    set({ '3>2': 'down' });
    await advance(1_000);
    expect(commands()).toHaveLength(2);
    rerouter.deployed();
    await advance(1_000);
    expect(commands().slice(2)).toEqual(['swanctl --load-conns --file /var/lib/raincoat/rerouted-swanctl.conf --uri unix:///v']);
  });

  it('does nothing while a deploy applies', async () => {
    const { commands, set, advance } = setup({ busy: true });
    set({ '1>2': 'down' });
    await advance(5_000);
    expect(commands()).toEqual([]);
  });

  it('logs a failed load and keeps what is in effect, to try again at the next update', async () => {
    const { rerouter, logged, set, advance } = setup({ failLoad: true });
    set({ '1>2': 'down' });
    await advance(1_000);
    expect(logged).toEqual([['reroute_failed', { error: 'Error: swanctl --load-conns failed (exit 1): loading connection failed' }]]);
    expect([...rerouter.inEffect()]).toEqual([]);
  });

  it('decides nothing after stop', async () => {
    const { rerouter, commands, set, advance } = setup();
    rerouter.stop();
    set({ '1>2': 'down' });
    await advance(5_000);
    expect(commands()).toEqual([]);
  });
});
