import { describe, expect, it } from 'vitest';
import { fixtureKeys, samplePlan } from '../fixtureKeys.testkit.ts';
import { renderSwanctlConf } from './renderSwanctlConf.ts';

const plan = samplePlan('mesh');
const keys = await fixtureKeys(plan);

/** The `name { … }` block of a swanctl.conf text, by its indentation (test-only). */
function block(text: string, name: string, indent: number): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `${' '.repeat(indent)}${name} {`);
  if (start < 0) throw new Error(`no block ${name}`);
  const end = lines.findIndex((l, i) => i > start && l === `${' '.repeat(indent)}}`);
  return lines.slice(start, end + 1).join('\n');
}

/** Every value of `key` in a swanctl.conf text, in order (test-only). */
function values(text: string, key: string): string[] {
  return [...text.matchAll(new RegExp(`^\\s*${key} = (\\S+)$`, 'gm'))].map((m) => m[1]!);
}

describe('renderSwanctlConf', () => {
  it('a root on its own address binds to its address, PSK ids by internet address', () => {
    const conf = renderSwanctlConf(plan, 3, keys);
    const conn = block(conf, 'tunnel-3-7', 4);
    expect(conn).toContain('        version = 2\n');
    expect(conn).toContain('        local_addrs = 203.0.0.3\n');
    expect(conn).toContain('        remote_addrs = 203.0.0.7\n');
    expect(conn).toContain('        proposals = aes256gcm16-prfsha256-ecp256, aes256gcm16-prfsha384-ecp384\n');
    expect(conn).toMatch(/local \{\n\s+auth = psk\n\s+id = 203\.0\.0\.3\n/);
    expect(conn).toMatch(/remote \{\n\s+auth = psk\n\s+id = 203\.0\.0\.7\n/);
    expect(conn).toContain('local_ts = 10.3.0.0/16');
    expect(conn).toContain('remote_ts = 10.7.0.0/16');
    expect(conn).toContain('esp_proposals = aes256gcm16-ecp256');
    expect(conn).toContain('start_action = start');
    expect(conn).not.toContain('encap');
  });

  it('a NATed root binds to %any (or its private address) and keeps its internet address as identity', () => {
    const conf = renderSwanctlConf(plan, 12, keys);
    const conn = block(conf, 'tunnel-3-12', 4);
    expect(conn).toContain('local_addrs = %any\n');
    expect(conn).toMatch(/local \{\n\s+auth = psk\n\s+id = 203\.0\.0\.12\n/);
    expect(conn).toContain('start_action = trap');
    expect(renderSwanctlConf(plan, 12, keys, { localAddresses: { 'root-12': '172.31.0.12' } })).toContain('local_addrs = 172.31.0.12\n');
  });

  it('holds one IKE secret per tunnel with both identities', () => {
    const conf = renderSwanctlConf(plan, 7, keys);
    expect(block(conf, 'ike-tunnel-3-7', 4)).toBe(
      [
        '    ike-tunnel-3-7 {',
        '        id-local = 203.0.0.7',
        '        id-remote = 203.0.0.3',
        `        secret = "${keys.tunnels['tunnel-3-7']!.psk}"`,
        '    }',
      ].join('\n'),
    );
    expect(conf.match(/secret = /g)).toHaveLength(2);
    expect(conf.match(/^ {4}tunnel-\d+-\d+ \{$/gm)).toEqual(['    tunnel-3-7 {', '    tunnel-7-12 {']);
  });

  it('both ends of a tunnel agree: mirrored addresses, identities and traffic selectors', () => {
    const a = block(renderSwanctlConf(plan, 7, keys), 'tunnel-7-12', 4);
    const b = block(renderSwanctlConf(plan, 12, keys), 'tunnel-7-12', 4);
    expect(values(a, 'local_ts')).toEqual(values(b, 'remote_ts'));
    expect(values(a, 'id')).toEqual(values(b, 'id').reverse());
    expect(values(a, 'remote_addrs')).toEqual(['203.0.0.12']);
    expect(values(b, 'remote_addrs')).toEqual(['203.0.0.7']);
  });

  // Whichever end loads its configuration last must bring the tunnel up: an unconfigured peer refuses for good.
  it.each([
    { root: 7, tunnel: 'tunnel-7-12', role: 'the lower id, which keeps it up', start: 'start', dpd: 'restart', keyingtries: ['0'] },
    { root: 12, tunnel: 'tunnel-7-12', role: 'the higher id, which traps its traffic meanwhile', start: 'trap|start', dpd: 'clear', keyingtries: [] },
    { root: 3, tunnel: 'tunnel-3-12', role: 'the lower id, which keeps it up', start: 'start', dpd: 'restart', keyingtries: ['0'] },
    { root: 12, tunnel: 'tunnel-3-12', role: 'the higher id, which traps its traffic meanwhile', start: 'trap|start', dpd: 'clear', keyingtries: [] },
  ])('root $root starts $tunnel as it loads it, as $role', ({ root, tunnel, start, dpd, keyingtries }) => {
    const conn = block(renderSwanctlConf(plan, root, keys), tunnel, 4);
    expect(values(conn, 'start_action')).toEqual([start]);
    expect(values(conn, 'dpd_action')).toEqual([dpd]);
    expect(values(conn, 'keyingtries')).toEqual(keyingtries);
    // Crossed starts build two IKE_SAs: the newer replaces the older, and the peer's DELETE of it restarts nothing.
    expect(values(conn, 'unique')).toEqual(['replace']);
    expect(values(conn, 'close_action')).toEqual(['none']);
  });

  it('has no connections for a root without tunnels', async () => {
    const single = samplePlan('single');
    expect(renderSwanctlConf(single, 1, await fixtureKeys(single))).toBe('# Raincoat root-1: IPsec tunnels to its peer roots\nconnections {\n}\nsecrets {\n}\n');
  });
});

const ring = samplePlan('ring');
const hub = samplePlan('hub');
const [ringKeys, hubKeys] = await Promise.all([fixtureKeys(ring), fixtureKeys(hub)]);

describe('renderSwanctlConf with transit through roots', () => {
  /** [child name, local_ts, remote_ts] of each child of a connection (test-only). */
  const children = (conn: string) =>
    [...conn.matchAll(/^ {12}(\S+) \{\n {16}local_ts = (.*)\n {16}remote_ts = (.*)$/gm)].map((m) => [m[1], m[2], m[3]]);

  it('the hub carries each spoke to the other: the spoke side of each tunnel lists the hub and the other spoke', () => {
    expect(children(block(renderSwanctlConf(hub, 1, hubKeys), 'tunnel-1-2', 4))).toEqual([['tunnel-1-2', '10.1.0.0/16, 10.3.0.0/16', '10.2.0.0/16']]);
    expect(children(block(renderSwanctlConf(hub, 2, hubKeys), 'tunnel-1-2', 4))).toEqual([['tunnel-1-2', '10.2.0.0/16', '10.1.0.0/16, 10.3.0.0/16']]);
    expect(children(block(renderSwanctlConf(hub, 3, hubKeys), 'tunnel-1-3', 4))).toEqual([['tunnel-1-3', '10.3.0.0/16', '10.1.0.0/16, 10.2.0.0/16']]);
  });

  it('a tunnel with two selectors gets two children, in the same order and with the same names at both ends', () => {
    const one = children(block(renderSwanctlConf(ring, 1, ringKeys), 'tunnel-1-2', 4));
    const two = children(block(renderSwanctlConf(ring, 2, ringKeys), 'tunnel-1-2', 4));
    expect(one).toEqual([
      ['tunnel-1-2', '10.1.0.0/16', '10.2.0.0/15'],
      ['tunnel-1-2-t2', '10.4.0.0/16', '10.2.0.0/16'],
    ]);
    expect(two).toEqual(one.map(([name, local, remote]) => [name, remote, local]));
    // Each child is started and kept as the connection's role says.
    expect(values(block(renderSwanctlConf(ring, 2, ringKeys), 'tunnel-1-2', 4), 'start_action')).toEqual(['trap|start', 'trap|start']);
  });
});
