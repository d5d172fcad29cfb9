// Issue 12's lab proof of transit through roots: rendered overlays where no tunnel joins two clouds directly, on real daemons.
//
// A hub and two spokes (no spoke–spoke tunnel): a client VM of one spoke pings and opens a TCP connection to a client VM
// of the other, through the hub. A ring of four: a client VM of root 1 reaches root 3's through root 2 (two tunnels).
// Everything the daemons read is rendered, adapted as transitOverlay.ts says (libipsec before 5.9.12 needs an address in
// each transit selector).
import { afterEach, describe, expect, it } from 'vitest';
import { createLab, skipUnlessLab, type Host, type Lab } from './index.ts';
import type { Charon } from './strongswan.ts';
import { startOverlay } from './transitOverlay.ts';

const root = (id: number, name: string) => ({ id, name, internetAddress: `192.0.2.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 10, cloud: { provider: 'existing' } });
const HUB = { roots: [root(1, 'hub'), root(2, 'spoke two'), root(3, 'spoke three')], tunnels: [{ a: 1, b: 2 }, { a: 1, b: 3 }] };
const RING = { roots: [1, 2, 3, 4].map((id) => root(id, `ring ${id}`)), tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 3, b: 4 }, { a: 4, b: 1 }] };

let lab: Lab | undefined;
afterEach(async () => { await lab?.close(); lab = undefined; }); // also runs when the test fails

/** Packets a root's CHILD_SA has sent so far. */
async function packetsOut(charon: Charon, child: string): Promise<number> {
  return (await charon.waitForChildSa(child)).child.packetsOut;
}

/** Opens a TCP connection from `from` to a server the lab runs at `address`:7000 in `to`, and returns what the server said. */
async function tcpExchange(l: Lab, from: Host, to: Host, address: string): Promise<string> {
  const server = l.spawn(to, [process.execPath, '-e', `require('node:net').createServer((s) => s.end('hello from ' + ${JSON.stringify(to.name)})).listen(7000, ${JSON.stringify(address)}, () => console.log('listening'))`], { name: `tcp-${to.name}` });
  await server.waitForLog('listening');
  const client = `const s = require('node:net').connect(7000, ${JSON.stringify(address)}); s.on('data', (d) => process.stdout.write(d)); s.on('error', (e) => { console.error(e.message); process.exit(1); });`;
  return (await from.exec([process.execPath, '-e', client], { timeoutMs: 10_000 })).stdout;
}

describe('transit through roots on real daemons', () => {
  it('a hub and two spokes: a client VM of one spoke pings and talks TCP to a client VM of the other, through the hub', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn']);
    const l = (lab = await createLab());
    const { roots, vms: [two, three], started, upMs } = await startOverlay(l, HUB, [2, 3]);

    // Each spoke's leaf routes the other spoke's overlay to its root (both spokes are reachable), and the hub carries it.
    expect((await two.vm.exec(['ip', '-4', 'route'])).stdout).toMatch(/^10\.2\.0\.0\/15 via 10\.2\.4\.1 /m);
    const hub = roots.get(1)!.charon;
    const before = [await packetsOut(hub, 'tunnel-1-2'), await packetsOut(hub, 'tunnel-1-3')];
    const ping = await two.vm.ping(three.address);
    await three.vm.ping(two.address);
    expect(await tcpExchange(l, two.vm, three.vm, three.address)).toBe('hello from vm-3');
    const after = [await packetsOut(hub, 'tunnel-1-2'), await packetsOut(hub, 'tunnel-1-3')];
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[1]).toBeGreaterThan(before[1]!);
    // No tunnel joins the spokes: their charons have only their tunnel to the hub.
    expect((await roots.get(2)!.charon.listSas()).map((ike) => ike.name)).toEqual(['tunnel-1-2']);
    console.log(`transit hub: 9 namespaces, 3 charons, 7 OpenVPN instances up in ${Math.round(upMs)} ms; spoke-to-spoke ping after ${ping.attempts} attempt(s), rtt ${ping.rttMs} ms; total ${Math.round(performance.now() - started)} ms`);
  });

  it('a ring of four: a client VM of root 1 reaches the opposite root 3 through root 2, two tunnels', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn']);
    const l = (lab = await createLab());
    const { roots, vms: [one, three], started, upMs } = await startOverlay(l, RING, [1, 3]);

    // The path of 1 and 3 is 1-2-3 (lower second root than 1-4-3): root 2 carries it, root 4 does not.
    const [via2, via4] = [roots.get(2)!.charon, roots.get(4)!.charon];
    const before = { via2: await packetsOut(via2, 'tunnel-2-3'), via4: await packetsOut(via4, 'tunnel-3-4') };
    const ping = await one.vm.ping(three.address);
    await three.vm.ping(one.address);
    expect(await tcpExchange(l, three.vm, one.vm, one.address)).toBe('hello from vm-1');
    expect(await packetsOut(via2, 'tunnel-2-3')).toBeGreaterThan(before.via2);
    expect(await packetsOut(via4, 'tunnel-3-4')).toBe(before.via4);
    console.log(`transit ring: 9 namespaces, 4 charons, 8 OpenVPN instances up in ${Math.round(upMs)} ms; 1-to-3 ping after ${ping.attempts} attempt(s), rtt ${ping.rttMs} ms; total ${Math.round(performance.now() - started)} ms`);
  });
});
