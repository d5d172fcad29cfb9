// Issue 4's test of the agent's `linux` backend on real daemons: deploy packages, applied by the real deploy engine, drive
// strongSwan and OpenVPN in two roots' network namespaces (set up as agentRoots.ts describes).
// Root 2 gets each package before root 1; tunnelLoadOrder.test.ts applies them the other way round.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_CONFIRM_DEADLINE_MS, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { ReceiveOutcome } from '../../src-agent/deploy/deployStep.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import { diskFileTree } from '../../src-agent/backends/fileTree.ts';
import type { FileSnapshot } from '../../src-agent/backends/types.ts';
import { agentRootsFixture, childSa, makePackage, pingAcross, TWO_ROOTS, type AgentRoot, type AgentRoots, type RootName } from './agentRoots.ts';
import { skipUnlessLab, waitFor, type ChildSa, type Host } from './index.ts';

/**
 * The shortest confirmation window a package may carry: for the deploys confirmed at once and the one never confirmed.
 * The others keep the default (10 minutes), so that a slow machine cannot make them miss it while the test looks at them.
 */
const SHORT_DEADLINE_MS = MIN_CONFIRM_DEADLINE_MS;
const APPLY_ORDER: readonly RootName[] = ['root-2', 'root-1'];

const fixture = agentRootsFixture();

/**
 * Hands the package to every root in APPLY_ORDER, as the flood would; resolves with each engine's outcome.
 * `confirmAtOnce`: each root gets the confirmation right after it has applied, and takes it.
 */
async function deploy(roots: AgentRoots, pkg: DeployPackage, options: { confirmAtOnce?: boolean } = {}): Promise<Record<RootName, ReceiveOutcome>> {
  const outcomes: Partial<Record<RootName, ReceiveOutcome>> = {};
  for (const name of APPLY_ORDER) {
    outcomes[name] = await roots[name].engine.receive(pkg);
    if (options.confirmAtOnce === true) expect((await roots[name].engine.confirm(pkg.topologyId)).result).toBe('confirmed');
  }
  return outcomes as Record<RootName, ReceiveOutcome>;
}

async function confirm(roots: AgentRoots, topologyId: string): Promise<void> {
  for (const name of APPLY_ORDER) expect((await roots[name].engine.confirm(topologyId)).result).toBe('confirmed');
}

const identityOf = (child: ChildSa) => ({ uniqueid: child.uniqueid, spiIn: child.spiIn, spiOut: child.spiOut });

/** Everything in the root's backend folder, by path: what a rollback must put back exactly. */
function backendFiles(root: AgentRoot): Promise<FileSnapshot> {
  return diskFileTree(root.baseDir).read();
}

/** Waits until the root's engine reports `state` for `topologyId`. */
function waitForState(root: AgentRoot, topologyId: string, state: DeployStatus['state'], timeoutMs: number): Promise<DeployStatus> {
  return waitFor(
    () => {
      const status = root.engine.status();
      return status.state === state && status.topologyId === topologyId && status;
    },
    { timeoutMs, intervalMs: 50, what: `${root.name} to be ${state} for ${topologyId}`, describe: () => JSON.stringify(root.engine.status()) },
  );
}

/** The pid of the root's OpenVPN uplink server, from the backend's pid file. */
async function uplinkPid(root: AgentRoot): Promise<string> {
  return (await readFile(join(root.runDir, 'uplink-server.pid'), 'utf8')).trim();
}

async function forwarding(host: Host): Promise<string> {
  return (await host.exec(['cat', '/proc/sys/net/ipv4/ip_forward'])).stdout.trim();
}

describe('the agent’s linux backend on real strongSwan and OpenVPN', () => {
  it('applies a deploy that carries a ping, keeps the SA on a reapply, rolls a failed apply back, and reverts an unconfirmed one', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn']);
    const timings: Record<string, number> = {};
    const time = async <T>(label: string, step: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await step();
      } finally {
        timings[label] = Math.round(performance.now() - started);
      }
    };
    const roots = await time('lab', () => fixture.start());
    for (const root of Object.values(roots)) expect(await forwarding(root.host)).toBe('0');

    // 1. The first deploy: applied, awaiting confirmation, the tunnel up and carrying the overlay.
    const first = await makePackage(roots, fixture.keys(), 'deploy-1');
    const applied = await time('first apply', () => deploy(roots, first));
    for (const name of APPLY_ORDER) expect(applied[name]).toMatchObject({ result: 'awaiting-confirm', status: { state: 'awaiting-confirm', topologyId: 'deploy-1' } });
    const up = await time('tunnel up', () => childSa(roots));
    const firstPing = await time('first ping', () => pingAcross(roots));
    for (const root of Object.values(roots)) expect(await forwarding(root.host)).toBe('1');
    await confirm(roots, 'deploy-1');
    const deployedFiles = await backendFiles(roots['root-1']);
    expect(deployedFiles['openvpn/uplink-server/pki/uplink-server.key']?.mode).toBe(0o600);
    expect(deployedFiles['swanctl/swanctl.conf']?.mode).toBe(0o600);
    expect(deployedFiles['openvpn/uplink-server.conf']?.content).toContain(`ca ${roots['root-1'].baseDir}/openvpn/uplink-server/pki/ca.crt\n`);

    // 2. The same package again changes nothing; the same configuration under a new id is taken without an apply (its
    // parts are unchanged) and leaves the SA alone.
    for (const name of APPLY_ORDER) expect((await roots[name].engine.receive(first)).result).toBe('unchanged');
    // Each root confirms as soon as it has applied, well inside the short window, which the test outlives below.
    const again = await makePackage(roots, fixture.keys(), 'deploy-2', { deadlineMs: SHORT_DEADLINE_MS });
    const reapplied = await time('reapply', () => deploy(roots, again, { confirmAtOnce: true }));
    for (const name of APPLY_ORDER) expect(reapplied[name].result).toBe('awaiting-confirm');
    const confirmedDeadline = Math.max(...APPLY_ORDER.map((name) => reapplied[name].status.deadlineAt ?? Infinity));
    await pingAcross(roots);
    expect(identityOf(await childSa(roots))).toEqual(identityOf(up));
    const configured = { 'root-1': await backendFiles(roots['root-1']), 'root-2': await backendFiles(roots['root-2']) };

    // 3. A package whose apply fails on both roots: root 1's swanctl.conf does not parse, root 2's OpenVPN server will not start.
    const broken = await makePackage(roots, fixture.keys(), 'deploy-3', {
      edit: (root, path, content) => {
        if (root === 'root-1' && path === 'swanctl.conf') return `${content}connections {\n`;
        if (root === 'root-2' && path === 'openvpn/uplink-server.conf') return `${content}no-such-option 1\n`;
        return content;
      },
    });
    const failed = await time('failed apply and rollback', () => deploy(roots, broken));
    expect(failed['root-1']).toMatchObject({ result: 'failed', status: { state: 'failed', topologyId: 'deploy-3', runningTopologyId: 'deploy-2' } });
    expect(failed['root-2']).toMatchObject({ result: 'failed', status: { state: 'failed', topologyId: 'deploy-3', runningTopologyId: 'deploy-2' } });
    expect(failed['root-1'].reason).toMatch(/^apply failed: swanctl --load-all failed .*invalid config file.*; reverted to topology deploy-2$/);
    expect(failed['root-2'].reason).toMatch(/^apply failed: openvpn uplink-server failed \(exit 1\): .*no-such-option.*; reverted to topology deploy-2$/);
    for (const name of APPLY_ORDER) expect(await backendFiles(roots[name])).toEqual(configured[name]);
    // Root 2's server is back (it holds 10.2.0.1); root 1's charon dropped the connection on the unparsable file and has it again.
    await time('ping after rollback', () => pingAcross(roots));
    const restored = await childSa(roots);

    // 4. A deploy nobody confirms (root 1 renamed, which is in its OpenVPN server's configuration, so that server restarts):
    // in effect, then gone again by itself at its deadline.
    const renamed = { ...TWO_ROOTS, roots: TWO_ROOTS.roots.map((r) => (r.id === 1 ? { ...r, name: 'cloud one, renamed' } : r)) };
    const unconfirmed = await makePackage(roots, fixture.keys(), 'deploy-4', { topology: renamed, deadlineMs: SHORT_DEADLINE_MS });
    const serverBefore = await uplinkPid(roots['root-1']);
    const trial = await deploy(roots, unconfirmed);
    const deadlineAt = trial['root-1'].status.deadlineAt ?? 0;
    expect(trial['root-1'].result).toBe('awaiting-confirm');
    expect((await backendFiles(roots['root-1']))['openvpn/uplink-server.conf']?.content).toContain('cloud one, renamed');
    const serverOnTrial = await uplinkPid(roots['root-1']);
    expect(serverOnTrial).not.toBe(serverBefore);
    await pingAcross(roots);
    await time('wait for the deadline', () => waitForState(roots['root-1'], 'deploy-4', 'failed', deadlineAt - Date.now() + 5_000));
    await Promise.all(Object.values(roots).map((root) => root.engine.settled()));
    for (const name of APPLY_ORDER) {
      expect(roots[name].engine.status()).toMatchObject({ state: 'failed', topologyId: 'deploy-4', runningTopologyId: 'deploy-2' });
      expect(roots[name].engine.status().reason).toMatch(/^no confirm_deploy for topology deploy-4 arrived before the deadline .*; reverted to topology deploy-2$/);
    }
    const revertedAt = roots['root-1'].statuses.at(-1)?.at ?? 0;
    expect(revertedAt).toBeGreaterThanOrEqual(deadlineAt);
    for (const name of APPLY_ORDER) expect(await backendFiles(roots[name])).toEqual(configured[name]);
    expect([serverBefore, serverOnTrial]).not.toContain(await uplinkPid(roots['root-1']));
    await pingAcross(roots);
    // Neither the unconfirmed deploy nor its revert touched the tunnel's configuration, so the SA lived through both.
    expect(identityOf(await childSa(roots))).toEqual(identityOf(restored));
    // The confirmed deploy outlived its own deadline: confirmation kept it.
    expect(Date.now()).toBeGreaterThan(confirmedDeadline);
    for (const name of APPLY_ORDER) expect(roots[name].statuses.filter((s) => s.topologyId === 'deploy-2' && s.state === 'failed')).toEqual([]);

    console.log(
      `linux backend on real daemons: ${JSON.stringify(timings)} ms; first ping through the tunnel after ${firstPing.attempts} attempt(s), ` +
        `the unconfirmed deploy reverted ${revertedAt - deadlineAt} ms after its deadline`,
    );
  });
});
