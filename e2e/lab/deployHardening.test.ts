// Issue 12 §4's hardening as a deploy turns it on: packages rendered as prepareDeploy renders them (OpenVPN dropping to a
// system user, a firewall keeping the agent's port open), applied by the real deploy engine and linux backend in two
// roots' namespaces (agentRoots.ts says how). The backend makes the user, hands OpenVPN its jail and loads firewall.nft
// with `nft -f`; nothing here does it by hand.
//
// What the lab adapts: the user is one of this run's own (`rcl-<hex>`), deleted afterwards, rather than the deploys'
// raincoat-openvpn, so that the test makes it from scratch and leaves the machine as it found it; a Python listener stands
// in for each root's agent (the engines run in the test process), another for a service the firewall must shut out.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_CONFIRM_DEADLINE_MS, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { RenderOptions } from '../../src-main/core/render/renderOptions.ts';
import { agentRootsFixture, makePackage, pingAcross, type AgentRoot, type AgentRoots } from './agentRoots.ts';
import { run, skipUnlessLab, waitFor } from './index.ts';
import { LISTENER, pingOnce, tcpProbe } from './tcpProbe.ts';

const AGENT_PORT = 7443;
const CLOSED_PORT = 2222;

let account: string | undefined;
// Registered before the fixture's hooks, so it runs after them (hooks unwind as a stack): the lab's OpenVPN is gone by then.
afterEach(async () => {
  if (account === undefined) return;
  await run(['userdel', '--force', account], { allowFailure: true });
  await run(['groupdel', account], { allowFailure: true });
  account = undefined;
});
const fixture = agentRootsFixture();

/** Root 2 first, then root 1 (which keeps the tunnel up), as the flood would; each must take it. */
async function deploy(roots: AgentRoots, pkg: DeployPackage, confirm: boolean): Promise<void> {
  for (const root of [roots['root-2'], roots['root-1']]) {
    const outcome = await root.engine.receive(pkg);
    expect(outcome.result, outcome.reason).toBe('awaiting-confirm');
    if (confirm) expect((await root.engine.confirm(pkg.topologyId)).result).toBe('confirmed');
  }
}

const uplinkPid = async (root: AgentRoot) => Number((await readFile(join(root.runDir, 'uplink-server.pid'), 'utf8')).trim());
/** Real, effective, saved and file-system ids of a process: `Uid:` and `Gid:` of /proc/PID/status. */
async function idsOf(pid: number): Promise<{ uid: string; gid: string }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return { uid: /^Uid:\s+(.*)$/m.exec(status)![1]!, gid: /^Gid:\s+(.*)$/m.exec(status)![1]! };
}
const idOf = async (database: 'passwd' | 'group', name: string) => (await run(['getent', database, name])).stdout.split(':')[2]!;
/** Raincoat's table as nft lists it in the root's namespace, or undefined when there is none. */
async function raincoatTable(root: AgentRoot): Promise<string | undefined> {
  const listed = await root.host.exec(['nft', 'list', 'table', 'inet', 'raincoat'], { allowFailure: true });
  return listed.code === 0 ? listed.stdout : undefined;
}

describe('a deploy hardens each linux node', () => {
  it('OpenVPN runs as a system user the backend made, the firewall drops a closed port, the agent and the overlay pass, a revert restores the firewall', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn', 'nftables']);
    const roots = await fixture.start();
    const one = roots['root-1'];
    const two = roots['root-2'];
    account = `rcl-${randomBytes(4).toString('hex')}`;
    expect((await run(['getent', 'passwd', account], { allowFailure: true })).code).toBe(2);
    const hardened = (agentPort: number): RenderOptions => ({ openvpnUser: { user: account!, group: account! }, agentPort });
    for (const port of [AGENT_PORT, AGENT_PORT + 1, CLOSED_PORT]) fixture.lab().spawn(one.host, ['python3', '-c', LISTENER, String(port)], { name: `listener-${port}` });
    await waitFor(async () => (await tcpProbe(two.host, '192.0.2.1', CLOSED_PORT)) === 'open', { what: `root 1's listener on port ${CLOSED_PORT}` });
    // A table of the host's own, which no load or delete of Raincoat's may touch.
    await one.host.exec(['nft', 'add', 'table', 'inet', 'host-own']);

    // 1. The first hardened deploy, confirmed.
    await deploy(roots, await makePackage(roots, fixture.keys(), 'hardened-1', { render: hardened(AGENT_PORT) }), true);
    await pingAcross(roots);
    const uid = await idOf('passwd', account);
    const gid = await idOf('group', account);
    expect(Number(uid)).toBeGreaterThan(0);
    for (const root of [one, two]) {
      // Every id of the uplink server is the new user's: it dropped root for good once started.
      expect(await idsOf(await uplinkPid(root))).toEqual({ uid: [uid, uid, uid, uid].join('\t'), gid: [gid, gid, gid, gid].join('\t') });
      const jail = join(root.baseDir, 'openvpn', 'uplink-server', 'jail', 'uplink-server');
      const jailInfo = await stat(jail);
      expect({ uid: jailInfo.uid, mode: jailInfo.mode & 0o777 }).toEqual({ uid: Number(uid), mode: 0o700 });
      expect((await stat(join(jail, 'crl.pem'))).uid).toBe(Number(uid));
      const key = await stat(join(root.baseDir, 'openvpn', 'uplink-server', 'pki', 'uplink-server.key'));
      expect({ uid: key.uid, mode: key.mode & 0o777 }).toEqual({ uid: 0, mode: 0o600 });
      expect((await stat(join(root.baseDir, 'openvpn'))).mode & 0o777).toBe(0o700);
    }
    // Its status file, outside the jail, is the one it opened as root before the drop, and keeps writing through.
    expect(await readFile(join(one.runDir, 'uplink-server.status'), 'utf8')).toMatch(/^TIME,.*\nHEADER,CLIENT_LIST,/m);

    const walled = await raincoatTable(one);
    expect(walled).toContain(`tcp dport ${AGENT_PORT} accept`);
    expect(await tcpProbe(two.host, '192.0.2.1', CLOSED_PORT)).toBe('dropped');
    expect(await tcpProbe(two.host, '192.0.2.1', AGENT_PORT)).toBe('open');
    expect(await pingOnce(two.host, '192.0.2.1')).toBe(false);

    // 2. A deploy that moves the agent's port, never confirmed: in effect, then reverted by itself to the first firewall.
    await deploy(roots, await makePackage(roots, fixture.keys(), 'hardened-2', { render: hardened(AGENT_PORT + 1), deadlineMs: MIN_CONFIRM_DEADLINE_MS }), false);
    expect(await raincoatTable(one)).toContain(`tcp dport ${AGENT_PORT + 1} accept`);
    expect(await tcpProbe(two.host, '192.0.2.1', AGENT_PORT + 1)).toBe('open');
    expect(await tcpProbe(two.host, '192.0.2.1', AGENT_PORT)).toBe('dropped');
    await waitFor(() => [one, two].every((root) => root.engine.status().state === 'failed'), {
      timeoutMs: MIN_CONFIRM_DEADLINE_MS + 10_000,
      intervalMs: 100,
      what: 'both roots to revert the unconfirmed deploy',
    });
    await Promise.all([one, two].map((root) => root.engine.settled()));
    for (const root of [one, two]) expect(root.engine.status()).toMatchObject({ topologyId: 'hardened-2', runningTopologyId: 'hardened-1' });
    expect(await raincoatTable(one)).toBe(walled);
    expect(await tcpProbe(two.host, '192.0.2.1', AGENT_PORT)).toBe('open');
    expect(await tcpProbe(two.host, '192.0.2.1', CLOSED_PORT)).toBe('dropped');
    await pingAcross(roots);
    expect((await idsOf(await uplinkPid(one))).uid).toBe([uid, uid, uid, uid].join('\t'));
    expect((await one.host.exec(['nft', 'list', 'tables'])).stdout.trim().split('\n').sort()).toEqual(['table inet host-own', 'table inet raincoat']);
  });
});
