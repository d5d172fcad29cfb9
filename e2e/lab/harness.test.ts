// Self-test of the lab harness with hand-written configurations: routing, strongSwan over kernel-libipsec, OpenVPN, cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createLab, findResidue, isLive, listNamespaces, makeOpensslPki, skipUnlessLab, sweepStaleLabs, type Lab } from './index.ts';

let lab: Lab | undefined;
/** Child processes holding a lab (cleanup tests); killed and swept after each test, whatever happened in it. */
const holders = new Set<ChildProcess>();
afterEach(async () => {
  await lab?.close();
  lab = undefined;
  for (const child of holders) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
  }
  if (holders.size > 0) sweepStaleLabs();
  holders.clear();
});

/** The kernel's name of a running process (/proc/PID/comm). */
function commandName(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

/** One side of a PSK site-to-site connection between 192.0.2.1 (LAN 10.1.0.0/24) and 192.0.2.2 (LAN 10.2.0.0/24). */
function s2sConf(side: 'a' | 'b', psk: string): string {
  const [me, peer] = side === 'a' ? (['1', '2'] as const) : (['2', '1'] as const);
  const [meId, peerId] = side === 'a' ? ['a.lab.test', 'b.lab.test'] : ['b.lab.test', 'a.lab.test'];
  return `connections {
  s2s {
    version = 2
    local_addrs = 192.0.2.${me}
    remote_addrs = 192.0.2.${peer}
    proposals = aes256gcm16-prfsha256-ecp256
    local {
      auth = psk
      id = ${meId}
    }
    remote {
      auth = psk
      id = ${peerId}
    }
    children {
      net {
        local_ts = 10.${me}.0.0/24
        remote_ts = 10.${peer}.0.0/24
        esp_proposals = aes256gcm16-ecp256
        start_action = none
      }
    }
  }
}
secrets {
  ike-peer {
    id-a = a.lab.test
    id-b = b.lab.test
    secret = 0s${psk}
  }
}
`;
}

const OPENVPN_SERVER = `dev tun
proto udp
local 192.0.2.1
port 1194
topology subnet
server 10.8.0.0 255.255.255.0
ca ca.crt
cert server.crt
key server.key
dh none
tls-version-min 1.2
keepalive 10 60
persist-tun
verb 3
`;

const OPENVPN_CLIENT = `client
dev tun
proto udp
remote 192.0.2.1 1194
nobind
ca ca.crt
cert client1.crt
key client1.key
remote-cert-tls server
verb 3
`;

async function twoHosts(l: Lab) {
  const a = await l.addHost('a');
  const b = await l.addHost('b');
  await l.link(a, b, { a: '192.0.2.1/24', b: '192.0.2.2/24' });
  return { a, b };
}

async function startTunnel(l: Lab) {
  const { a, b } = await twoHosts(l);
  await a.addAddress('10.1.0.1/24');
  await b.addAddress('10.2.0.1/24');
  const psk = randomBytes(32).toString('base64');
  const charonB = await l.startCharon(b, { swanctlConf: s2sConf('b', psk) });
  const charonA = await l.startCharon(a, { swanctlConf: s2sConf('a', psk) });
  return { a, b, charonA, charonB };
}

async function startOpenvpnPair(l: Lab) {
  const { a, b } = await twoHosts(l);
  const pki = await makeOpensslPki(join(l.dir, 'pki'));
  const { 'client1.crt': _c, 'client1.key': _k, ...serverFiles } = pki;
  const { 'server.crt': _s, 'server.key': _t, ...clientFiles } = pki;
  const server = await l.startOpenvpn(a, OPENVPN_SERVER, serverFiles);
  const client = await l.startOpenvpn(b, OPENVPN_CLIENT, clientFiles);
  return { a, b, server, client };
}

describe('lab harness', () => {
  it('routes between two hosts only once the router forwards', async (ctx) => {
    skipUnlessLab(ctx, []);
    lab = await createLab();
    const h1 = await lab.addHost('h1');
    const router = await lab.addHost('r');
    const h2 = await lab.addHost('h2');
    await lab.link(h1, router, { a: '192.0.2.1/24', b: '192.0.2.254/24' });
    await lab.link(router, h2, { a: '198.51.100.254/24', b: '198.51.100.1/24' });
    await h1.addRoute('default', { via: '192.0.2.254' });
    await h2.addRoute('default', { via: '198.51.100.254' });

    expect(await h1.canPing('198.51.100.1', { deadlineMs: 200 })).toBe(false);
    await router.setForwarding(true);
    const reply = await h1.ping('198.51.100.1');
    expect(reply.attempts).toBe(1);
    expect(reply.rttMs).toBeGreaterThan(0);
  });

  it('joins several hosts on one switch', async (ctx) => {
    skipUnlessLab(ctx, []);
    lab = await createLab();
    const net = await lab.addSwitch('net');
    const hosts = await Promise.all(['x', 'y', 'z'].map((name) => lab!.addHost(name)));
    for (const [i, host] of hosts.entries()) await lab.link(host, net, { a: `198.51.100.${i + 1}/24` });
    expect(await hosts[0]!.canPing('198.51.100.2')).toBe(true);
    expect(await hosts[2]!.canPing('198.51.100.1')).toBe(true);
    await expect(lab.link(hosts[0]!, net, { b: '198.51.100.9/24' })).rejects.toThrow(/switch/);
  });

  it('lets the test process reach a TCP server inside a namespace', async (ctx) => {
    skipUnlessLab(ctx, []);
    lab = await createLab();
    const { b } = await twoHosts(lab);
    const echo = "require('node:net').createServer((s) => s.pipe(s)).listen(7000, '192.0.2.2', () => console.log('echo up'))";
    await lab.spawn(b, [process.execPath, '-e', echo], { name: 'echo' }).waitForLog('echo up');
    const { socketPath } = await lab.exposeTcp(b, '192.0.2.2', 7000);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(socketPath, () => socket.end('through the namespace'));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toBe('through the namespace');
  });

  it('carries a ping LAN to LAN through strongSwan IKEv2 PSK over kernel-libipsec', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan']);
    lab = await createLab();
    const started = performance.now();
    const { a, charonA, charonB } = await startTunnel(lab);
    const loadMs = performance.now() - started;

    expect(await a.canPing('10.2.0.1', { deadlineMs: 200 })).toBe(false);
    const initiated = performance.now();
    await charonA.initiate('net');
    const reply = await a.ping('10.2.0.1', { source: '10.1.0.1' });
    const ms = Math.round(loadMs + performance.now() - initiated);
    console.log(`strongSwan: both charons started and loaded, initiated, first ping through ipsec0: ${ms} ms`);
    expect(reply.attempts).toBe(1);

    const [ike] = await charonA.listSas();
    expect(ike).toMatchObject({ name: 's2s', state: 'ESTABLISHED', localHost: '192.0.2.1', remoteHost: '192.0.2.2', initiator: true });
    const child = ike?.children.find((c) => c.name === 'net');
    expect(child).toMatchObject({ state: 'INSTALLED', mode: 'TUNNEL', encap: true, localTs: ['10.1.0.0/24'], remoteTs: ['10.2.0.0/24'] });
    expect(child?.packetsOut).toBeGreaterThanOrEqual(1);
    const responder = await charonB.waitForChildSa('net');
    expect(responder.child.spiOut).toBe(child?.spiIn);
    expect((await a.exec(['ip', 'link', 'show', 'ipsec0'])).stdout).toMatch(/ipsec0/);

    await charonA.terminate({ ike: 's2s' });
    expect(await charonA.listSas()).toEqual([]);
    expect(await a.canPing('10.2.0.1', { deadlineMs: 200 })).toBe(false);
  });

  it('carries a ping through OpenVPN with P-256 certificates made by openssl', async (ctx) => {
    skipUnlessLab(ctx, ['openvpn', 'openssl']);
    lab = await createLab();
    const started = performance.now();
    const { a, b, server, client } = await startOpenvpnPair(lab);
    await b.ping('10.8.0.1');
    console.log(`OpenVPN: openssl PKI, server and client started, first ping through tun: ${Math.round(performance.now() - started)} ms`);
    await a.ping('10.8.0.2');
    expect(client.daemon.log()).toMatch(/VERIFY EKU OK/);
    expect(client.daemon.log()).toMatch(/Data Channel: cipher 'AES-256-GCM'/);
    expect(server.daemon.log()).toMatch(/\[client1\] Peer Connection Initiated/);
  });

  it('leaves no namespace, process or folder behind after close(), which may be called twice', async (ctx) => {
    skipUnlessLab(ctx);
    lab = await createLab();
    const closing = lab;
    const { a } = await startTunnel(closing);
    // A peer-to-peer instance that waits for a peer forever: close() must stop it all the same.
    const lonely = await closing.startOpenvpn(a, 'dev tun\nifconfig 10.9.0.1 10.9.0.2\nverb 3\n', {}, { waitReady: false });
    await lonely.daemon.waitForLog('UDPv4 link local');
    const sleeper = closing.spawn(a, ['sleep', '600']);
    const { namespaces, pids } = closing.residue();
    expect(namespaces.sort()).toEqual([`${closing.runId}-a`, `${closing.runId}-b`]);
    expect(pids.map(commandName).sort()).toEqual(['charon', 'charon', 'openvpn', 'sleep']);
    expect(pids).toContain(sleeper.pid);

    await Promise.all([closing.close(), closing.close()]);
    await closing.close();
    expect(listNamespaces().filter((ns) => ns.startsWith(closing.runId))).toEqual([]);
    expect(pids.filter(isLive)).toEqual([]);
    expect(closing.residue()).toEqual({ namespaces: [], pids: [] });
    expect(existsSync(closing.dir)).toBe(false);
    await expect(closing.addHost('c')).rejects.toThrow(/closed/);
  });

  it('stop() escalates to SIGKILL for a process group that ignores SIGTERM', async (ctx) => {
    skipUnlessLab(ctx, []);
    lab = await createLab();
    const host = await lab.addHost('h');
    const stubborn = lab.spawn(host, ['sh', '-c', "trap '' TERM; sleep 600 & echo ready; wait"]);
    await stubborn.waitForLog('ready');
    const before = lab.residue().pids;
    expect(before).toHaveLength(2);
    const stopping = performance.now();
    expect(await stubborn.stop({ graceMs: 150 })).toEqual({ code: null, signal: 'SIGKILL' });
    expect(performance.now() - stopping).toBeGreaterThanOrEqual(140);
    expect(before.filter(isLive)).toEqual([]);
    expect(stubborn.running).toBe(false);
  });

  it.for(['SIGTERM', 'SIGINT'] as const)('cleans up when its process gets %s', async (signal, ctx) => {
    skipUnlessLab(ctx, []);
    const held = await holdLabInChild();
    expect(findResidue(held.runId).pids).toContain(held.pid);
    held.child.kill(signal);
    expect(await held.exited).toBe(signal);
    expect(findResidue(held.runId)).toEqual({ namespaces: [], pids: [] });
  });

  it('sweeps what a SIGKILLed run left, and only that', async (ctx) => {
    skipUnlessLab(ctx, []);
    lab = await createLab();
    await lab.addHost('alive');
    const held = await holdLabInChild();
    held.child.kill('SIGKILL');
    await held.exited;
    expect(findResidue(held.runId)).toEqual({ namespaces: [`${held.runId}-held`], pids: [held.pid] });

    expect(sweepStaleLabs()).toContain(held.runId);
    expect(findResidue(held.runId)).toEqual({ namespaces: [], pids: [] });
    expect(lab.residue().namespaces).toEqual([`${lab.runId}-alive`]);
  });
});

/** Runs fixtures/holdLab.ts in a child Node process and reads the run id it prints. */
async function holdLabInChild() {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'holdLab.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  holders.add(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`holdLab exited early (${code})`)));
  });
  return { child, exited, ...(JSON.parse(line) as { runId: string; pid: number; ns: string }) };
}
