// What an agent measures for its heartbeat, on real daemons: a root's tunnel state from its charon (up, then down once
// the peer's charon stops) and a leaf's connected OpenVPN clients from its client server's status file.
//
// The roots are agentRoots.ts's (the real deploy engine on linux backends). The leaf's files are rendered and applied by a
// linux backend of its own (so its OpenVPN starts as the agent starts it, with the status file); a client VM connects with
// its rendered profile. Each node is measured by the agent's own nodeMeasure on the backend configuration it runs with.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendConfigSchema, createBackend, type BackendConfig } from '../../src-agent/backends/createBackend.ts';
import { createCommandRunner } from '../../src-agent/backends/commandRunner.ts';
import { systemClock } from '../../src-agent/clock.ts';
import type { DeployEngine } from '../../src-agent/deploy/deployEngine.ts';
import { nodeMeasure, type NodeMeasurement } from '../../src-agent/tunnels/nodeMeasurement.ts';
import { ensureOverlayKeys } from '../../src-main/core/pki/ensureOverlayKeys.ts';
import { renderClientFiles, renderLeafFiles } from '../../src-main/core/render/renderNodeFiles.ts';
import { childSa, makePackage, startAgentRoots, TWO_ROOTS, type AgentRoot } from './agentRoots.ts';
import { createLab, skipUnlessLab, waitFor, type Lab } from './index.ts';
import { binary } from './run.ts';
import { planTopology } from './topologyPlan.ts';

let lab: Lab | undefined;
const engines: DeployEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) engine.stop();
  await lab?.close(); // also when the test failed
  lab = undefined;
});

const runner = createCommandRunner(systemClock);

/** The backend configuration a root's agent runs with, as agentRoots.ts builds it. */
function rootBackend(root: AgentRoot): BackendConfig {
  return BackendConfigSchema.parse({
    kind: 'linux',
    root: root.baseDir,
    runDir: root.runDir,
    commandPrefix: [binary('ip'), 'netns', 'exec', root.host.ns],
    swanctl: { binary: binary('swanctl'), strongswanConf: root.charon.env.STRONGSWAN_CONF, uri: root.charon.viciUri },
  });
}

/** Measures until `accept` takes the reading; returns it and how long it took. */
async function measureUntil(measure: () => Promise<NodeMeasurement>, accept: (m: NodeMeasurement) => boolean, what: string, timeoutMs: number) {
  const started = performance.now();
  let last: NodeMeasurement = {};
  await waitFor(async () => accept((last = await measure())), { timeoutMs, intervalMs: 200, what, describe: () => JSON.stringify(last) });
  return { reading: last, ms: Math.round(performance.now() - started) };
}

describe('what an agent measures of its node, on real daemons', () => {
  it('a root reports its tunnel up, then down once the peer’s charon stops; a leaf counts its connected client', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn']);
    const l = (lab = await createLab());
    const roots = await startAgentRoots(l, engines);
    const keys = await ensureOverlayKeys(planTopology(TWO_ROOTS), undefined, { clientsPerRoot: 1 });
    const pkg = await makePackage(roots, keys, 'deploy-1');
    for (const name of ['root-2', 'root-1'] as const) expect((await roots[name].engine.receive(pkg)).result).toBe('awaiting-confirm');
    await childSa(roots);

    // 1. The tunnel up, as each root measures it.
    const measure1 = nodeMeasure(rootBackend(roots['root-1']), 1, runner)!;
    const measure2 = nodeMeasure(rootBackend(roots['root-2']), 2, runner)!;
    const up = await measureUntil(measure1, (m) => m.tunnels?.[0]?.state === 'up', 'root 1 to measure its tunnel up', 10_000);
    expect(up.reading).toEqual({ tunnels: [{ peer: 2, state: 'up' }] });
    expect(await measure2()).toEqual({ tunnels: [{ peer: 1, state: 'up' }] });

    // 2. A leaf with a client VM: the leaf's backend starts its servers, the VM connects, the status file counts it.
    const plan = planTopology(TWO_ROOTS);
    const internet = l.host('internet');
    const leaf = await l.addHost('leaf-1-1', { forwarding: true });
    await l.link(leaf, internet, { a: '192.0.2.21/24', aIf: 'eth0' });
    const vm = await l.addHost('vm-1');
    await l.link(leaf, vm, { a: '172.16.1.1/24', b: '172.16.1.10/24', aIf: 'eth-vms', bIf: 'eth0' });
    const leafDir = join(l.dir, 'agent-leaf-1-1');
    mkdirSync(leafDir, { recursive: true, mode: 0o700 });
    const leafConfig = BackendConfigSchema.parse({
      kind: 'linux',
      root: join(leafDir, 'etc'),
      runDir: join(leafDir, 'run'),
      commandPrefix: [binary('ip'), 'netns', 'exec', leaf.ns],
      openvpnBinary: binary('openvpn'),
    });
    const addresses = { 'leaf-1-1': '172.16.1.1' };
    const leafFiles = renderLeafFiles(plan, 'leaf-1-1', keys, { addresses, baseDir: leafConfig.kind === 'linux' ? leafConfig.root : '' });
    await createBackend(leafConfig, systemClock).apply({ files: Object.fromEntries(leafFiles.map((f) => [f.path, { content: f.content, mode: f.mode }])), commands: [] });
    const measureLeaf = nodeMeasure(leafConfig, undefined, runner)!;
    const none = await measureUntil(measureLeaf, (m) => m.clientsConnected !== undefined, 'the leaf’s first status file', 10_000);
    expect(none.reading).toEqual({ clientsConnected: 0 });
    const profile = renderClientFiles(plan, keys, { addresses }).find((f) => f.path === 'clients/client-1-1.ovpn')!;
    await l.startOpenvpn(vm, profile.content, {}, { name: 'client-1-1-vm' });
    const counted = await measureUntil(measureLeaf, (m) => m.clientsConnected === 1, 'the leaf to count its client', 25_000);

    // 3. Root 2's charon stops (it deletes its SAs as it goes): root 1 measures the tunnel down.
    await roots['root-2'].charon.stop();
    const down = await measureUntil(measure1, (m) => m.tunnels?.[0]?.state !== 'up', 'root 1 to measure its tunnel no longer up', 15_000);
    expect(down.reading).toEqual({ tunnels: [{ peer: 2, state: 'down' }] });
    // Root 2's own charon is gone: its tunnels are unknown, not down.
    expect(await measure2()).toEqual({});
    console.log(`measured: tunnel up ${up.ms} ms after the CHILD_SA; client counted ${counted.ms} ms after the VM started; tunnel down ${down.ms} ms after the peer's charon stopped`);
  });
});
