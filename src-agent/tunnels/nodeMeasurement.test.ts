import { describe, expect, it } from 'vitest';
import { BackendConfigSchema } from '../backends/createBackend.ts';
import { fakeRunner } from '../backends/fakes.testkit.ts';
import { nodeMeasure, type ReadStatusFile } from './nodeMeasurement.ts';
import { LIST_CONNS, LIST_SAS, OPENVPN_STATUS } from './recorded.testkit.ts';

const LINUX = BackendConfigSchema.parse({
  kind: 'linux',
  root: '/etc/raincoat',
  runDir: '/run/raincoat/openvpn',
  commandPrefix: ['ip', 'netns', 'exec', 'ns1'],
  swanctl: { binary: '/usr/sbin/swanctl', strongswanConf: '/lab/strongswan.conf', uri: 'unix:///lab/charon.vici' },
});
const VYOS = BackendConfigSchema.parse({ kind: 'vyos' });
const DRY_RUN = BackendConfigSchema.parse({ kind: 'dry-run', dir: '/var/lib/raincoat/files' });

/** charon answering with the recorded listings, or failing (`charonDown`: its socket is gone). */
const charon = (charonDown = false) =>
  fakeRunner(({ args }) => {
    if (charonDown) return { code: 1, stderr: 'connecting to unix:///lab/charon.vici failed: No such file or directory' };
    return { stdout: args.includes('--list-conns') ? LIST_CONNS : LIST_SAS };
  });

const statusFile = (text: string | undefined, ageMs = 1_000): ReadStatusFile & { paths: string[] } => {
  const paths: string[] = [];
  return Object.assign(async (path: string) => (paths.push(path), text === undefined ? undefined : { text, ageMs }), { paths });
};

describe('nodeMeasure', () => {
  it('a linux root runs swanctl through its prefix, on its charon, with a bounded time, and reads its tunnels', async () => {
    const runner = charon();
    const read = statusFile(OPENVPN_STATUS);
    expect(await nodeMeasure(LINUX, 1, runner.run, read)!()).toEqual({ tunnels: [{ peer: 2, state: 'up' }] });
    expect(runner.calls.map((c) => [c.command, ...c.args].join(' '))).toEqual([
      'ip netns exec ns1 /usr/sbin/swanctl --list-conns --pretty --uri unix:///lab/charon.vici',
      'ip netns exec ns1 /usr/sbin/swanctl --list-sas --pretty --uri unix:///lab/charon.vici',
    ]);
    for (const call of runner.calls) expect(call.options).toEqual({ env: { STRONGSWAN_CONF: '/lab/strongswan.conf' }, timeoutMs: 5_000 });
    // A root serves no client VMs: no client count is read for it.
    expect(read.paths).toEqual([]);
  });

  it.each([
    ['answered', 0, [{ peer: 2, state: 'up' }], [{ peer: 2, state: 'up' }]],
    ['unanswered twice in a row', 1, [{ peer: 2, state: 'up' }], [{ peer: 2, state: 'down' }]],
  ])('a root that knows the overlay’s addresses probes each up tunnel through it: %s', async (_case, pingCode, first, second) => {
    const runner = fakeRunner(({ command, args }) => {
      if (args.includes('ping')) return { code: pingCode };
      return { stdout: args.includes('--list-conns') ? LIST_CONNS : LIST_SAS, code: command === 'ip' ? 0 : 1 };
    });
    const measure = nodeMeasure(LINUX, 1, runner.run, statusFile(undefined), () => new Map([[1, '10.1.0.1'], [2, '10.2.0.1']]))!;
    expect(await measure()).toEqual({ tunnels: first });
    expect(await measure()).toEqual({ tunnels: second });
    const pings = runner.calls.filter((c) => c.args.includes('ping'));
    expect(pings.map((c) => c.args.join(' '))).toEqual(Array(2).fill('netns exec ns1 ping -n -q -c 1 -W 1 -I 10.1.0.1 10.2.0.1'));
    expect(pings[0]?.options?.timeoutMs).toBe(5_000);
  });

  it('a root whose charon does not answer leaves its tunnels out: unknown, not down', async () => {
    expect(await nodeMeasure(LINUX, 1, charon(true).run, statusFile(undefined))!()).toEqual({});
  });

  it.each([
    ['a fresh status file with one client', statusFile(OPENVPN_STATUS), { clientsConnected: 1 }],
    ['no status file (no client server)', statusFile(undefined), {}],
    ['a status file not rewritten for 16 s (its server stopped)', statusFile(OPENVPN_STATUS, 16_000), {}],
    ['a status file caught half written', statusFile(OPENVPN_STATUS.slice(0, 100)), {}],
  ])('a linux leaf with %s reports %j', async (_case, read, measured) => {
    const runner = charon();
    expect(await nodeMeasure(LINUX, undefined, runner.run, read)!()).toEqual(measured);
    expect(read.paths).toEqual(['/run/raincoat/openvpn/client-server.status']);
    expect(runner.calls).toEqual([]);
  });

  it('a VyOS root asks the charon VyOS runs, on its default socket', async () => {
    const runner = charon();
    expect(await nodeMeasure(VYOS, 1, runner.run, statusFile(OPENVPN_STATUS))!()).toEqual({ tunnels: [{ peer: 2, state: 'up' }] });
    expect(runner.calls.map((c) => [c.command, ...c.args].join(' '))).toEqual(['swanctl --list-conns --pretty', 'swanctl --list-sas --pretty']);
  });

  it('a VyOS leaf measures nothing it could tell', async () => {
    expect(await nodeMeasure(VYOS, undefined, charon().run, statusFile(OPENVPN_STATUS))!()).toEqual({});
  });

  it('a dry-run node (the sandbox) measures nothing at all', () => {
    expect(nodeMeasure(DRY_RUN, 1, charon().run)).toBeUndefined();
  });
});
