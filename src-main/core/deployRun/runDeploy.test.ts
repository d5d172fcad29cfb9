import { verifyDeployDigest } from '../../../src-shared/protocol/deployPackage.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { DeployedRecordSchema } from './deployedRecord.ts';
import { fakeAccess, fakeOverlay, steppingClock } from './fakeOverlay.testkit.ts';
import type { FakeOverlay } from './fakeOverlay.testkit.ts';
import { resumeDeploy, runDeploy } from './runDeploy.ts';
import type { DeployEvent, DeployRunOptions } from './runDeploy.ts';
import type * as CheckVyosConfig from '../vyosCheck/checkVyosConfig.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import { testUnlocker } from '../secrets/unlocker.testkit.ts';
import { recordOf } from '../adminState/adminStateContent.ts';

/** What VyOS is asked to check, and, when a test sets `refusal`, what it says to every configuration. */
const vyos = vi.hoisted(() => ({ checked: [] as Array<{ set: string; version: string }>, refusal: undefined as { where: string; message: string } | undefined }));
vi.mock('../vyosCheck/checkVyosConfig.ts', async (importOriginal) => {
  const { checkVyosConfig } = await importOriginal<typeof CheckVyosConfig>();
  return {
    checkVyosConfig: (set: string, version: '1.4' | '1.5') => {
      vyos.checked.push({ set, version });
      return vyos.refusal ? [vyos.refusal] : checkVyosConfig(set, version);
    },
  };
});

const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'root-3', 'leaf-3-1'];
const access = fakeAccess(Object.fromEntries(NODES.map((n) => [n, 'dry-run'])));
const roots = [1, 2, 3].map((id) => makeRoot(id, { maxClients: 50 }));
const CHAIN = { roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };
const TRIANGLE = { roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 1, b: 3 }] };

let stateDir: string;
let clock: ReturnType<typeof steppingClock>;
let overlay: FakeOverlay;
beforeEach(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'raincoat-deploy-'));
  clock = steppingClock();
  overlay = fakeOverlay(NODES, clock);
});
afterEach(async () => {
  vyos.checked = [];
  vyos.refusal = undefined;
  await rm(stateDir, { recursive: true, force: true });
});

async function deploy(topology: unknown, options: Partial<DeployRunOptions> = {}) {
  const events: DeployEvent[] = [];
  const outcome = await runDeploy({
    access,
    entry: overlay.entry,
    topology,
    stateDir,
    secrets: testUnlocker(),
    clock,
    approve: async () => true,
    onEvent: (e) => events.push(e),
    followMs: 30_000,
    ...options,
  });
  return { outcome, events, kinds: events.map((e) => (e.kind === 'node' ? `${e.node} ${e.outcome}` : e.kind)) };
}

const record = async () => DeployedRecordSchema.parse(JSON.parse(await readFile(path.join(stateDir, 'deployed.json'), 'utf8')));
/** The keys the deploys kept, opened as a later run would, with the passphrase. */
const keptKeys = async () => (await keptOverlayKeys(path.join(stateDir, 'raincoat-keys.json'), testUnlocker()).open())!;
const plan = (events: DeployEvent[]) => events.find((e): e is Extract<DeployEvent, { kind: 'plan' }> => e.kind === 'plan')!.plan;

describe('a deploy', () => {
  it('plans every node as added, posts one package, follows each node to the new topology, confirms and records it', async () => {
    overlay.behave('leaf-2-1', { does: 'apply', afterMs: 1_200 });
    const { outcome, events, kinds } = await deploy(CHAIN, { topologyId: 'topo-1' });
    expect(kinds).toEqual(['plan', 'posted', 'root-1 applied', 'leaf-1-1 applied', 'root-2 applied', 'root-3 applied', 'leaf-3-1 applied', 'leaf-2-1 applied', 'confirmed', 'done']);
    expect(plan(events).nodes.map((n) => `${n.node} ${n.change}`)).toEqual(NODES.map((n) => `${n} added`));
    expect(plan(events).keys).toContain('tunnel-2-3: pre-shared key');
    expect(outcome).toEqual({ kind: 'followed', summary: { topologyId: 'topo-1', applied: expect.arrayContaining(NODES), failed: [], unreachable: [], confirmed: true } });
    expect(overlay.confirmed).toEqual(['topo-1']);

    const [pkg] = overlay.posted;
    expect(Object.keys(pkg!.nodes).sort()).toEqual([...NODES].sort());
    expect(pkg!.entryRootId).toBe(1);
    expect(pkg!.overlay).toEqual({ topology: CHAIN, agentPort: 7443 });
    // Keys travel sealed only: no private key or pre-shared key is readable in the package.
    const keys = await keptKeys();
    expect(JSON.stringify(pkg)).not.toContain(keys.tunnels['tunnel-1-2']!.psk);
    expect(JSON.stringify(pkg)).not.toContain(keys.leaves['leaf-1-1']!.uplinkClient.keyPem.split('\n')[1]);
    expect(statSync(path.join(stateDir, 'raincoat-keys.json')).mode & 0o777).toBe(0o600);
    // Nor in the kept keys file: it is sealed under the passphrase.
    expect(await readFile(path.join(stateDir, 'raincoat-keys.json'), 'utf8')).not.toContain(keys.tunnels['tunnel-1-2']!.psk);

    const kept = await record();
    expect(kept).toMatchObject({ topologyId: 'topo-1', topology: CHAIN });
    expect(Object.keys(kept.nodes).sort()).toEqual([...NODES].sort());
    expect(JSON.stringify(kept)).not.toContain(keys.tunnels['tunnel-1-2']!.psk);
  });

  it('changing one tunnel changes the files of its two roots and of the roots it relieves of transit only, and makes only its key', async () => {
    await deploy(CHAIN, { topologyId: 'topo-1' });
    const { events, outcome } = await deploy(TRIANGLE, { topologyId: 'topo-2' });
    const changes = plan(events).nodes.map((n) => `${n.node} ${n.change}`);
    // Root 2 carried root 1's traffic to root 3 in the chain; the new tunnel takes it, so only root 2's selectors change.
    expect(changes).toEqual(['root-1 changed', 'leaf-1-1 unchanged', 'root-2 changed', 'leaf-2-1 unchanged', 'root-3 changed', 'leaf-3-1 unchanged']);
    // Its firewall follows the selectors: forward rules only.
    expect(plan(events).nodes[2]!.files.map((f) => f.path)).toEqual(['firewall.nft', 'swanctl.conf']);
    const changedLines = (node: number, path: string) =>
      plan(events).nodes[node]!.files.filter((f) => f.path === path).flatMap((f) => f.diff).filter((line) => /^[-+]/.test(line));
    const root2 = changedLines(2, 'swanctl.conf');
    expect(root2.filter((line) => !/_ts = |prefix /.test(line))).toEqual([]);
    expect(changedLines(2, 'firewall.nft').filter((line) => !/^[-+] {4}ip saddr .* ip daddr .* accept$/.test(line))).toEqual([]);
    expect(root2).toContain('+                local_ts = 10.2.0.0/16');
    expect(plan(events).keys).toEqual(['tunnel-1-3: pre-shared key']);
    const root1 = plan(events).nodes[0]!;
    expect(root1.files.map((f) => f.path)).toEqual(['firewall.nft', 'swanctl.conf']);
    const swanctl = root1.files.find((f) => f.path === 'swanctl.conf')!.diff.join('\n');
    expect(swanctl).toContain('+    tunnel-1-3 {');
    // Its pre-shared key is in the diff as [secret], never as itself.
    const psk = (await keptKeys()).tunnels['tunnel-1-3']!.psk;
    expect(swanctl).toMatch(/^\+.*"\[secret\]"$/m);
    expect(JSON.stringify(events)).not.toContain(psk);
    expect(outcome).toMatchObject({ kind: 'followed', summary: { confirmed: true } });
    expect((await record()).topologyId).toBe('topo-2');
  });

  it('carries on the parts of the nodes it does not change as they were sealed, and seals the others afresh', async () => {
    await deploy(CHAIN, { topologyId: 'topo-1' });
    await deploy(TRIANGLE, { topologyId: 'topo-2' });
    const [first, second] = overlay.posted;
    const sealedIn = (node: string) => second!.nodes[node]!.sealedIn;
    expect(NODES.map((n) => `${n} ${sealedIn(n)}`)).toEqual(['root-1 topo-2', 'leaf-1-1 topo-1', 'root-2 topo-2', 'leaf-2-1 topo-1', 'root-3 topo-2', 'leaf-3-1 topo-1']);
    expect(second!.nodes['leaf-1-1']).toEqual(first!.nodes['leaf-1-1']);
    // A part kept aside unreadable is sealed afresh, and said.
    await writeFile(path.join(stateDir, 'sealed-parts.json'), '{');
    const { events } = await deploy(TRIANGLE, { topologyId: 'topo-3' });
    expect(NODES.map((n) => overlay.posted[2]!.nodes[n]!.sealedIn)).toEqual(NODES.map(() => 'topo-3'));
    expect(events).toContainEqual({ kind: 'notice', message: expect.stringMatching(/^the parts sealed for the last deploy could not be read .*sealed every node's secrets afresh$/) });
  });

  it('posts only the parts it sealed afresh, which the entry root completes from what it keeps, and all of them to an entry root that keeps none', async () => {
    await deploy(CHAIN, { topologyId: 'topo-1' });
    await deploy(TRIANGLE, { topologyId: 'topo-2' });
    expect(overlay.partsSent).toEqual([NODES.length, 3]);
    expect(Object.keys(overlay.posted[1]!.nodes).sort()).toEqual([...NODES].sort());
    expect(overlay.posted[1]!.omitted).toEqual({});
    expect(await verifyDeployDigest(overlay.posted[1]!)).toBe(true);
    overlay.forgetPackages();
    const { outcome } = await deploy(CHAIN, { topologyId: 'topo-3' });
    expect(outcome).toMatchObject({ kind: 'followed', summary: { failed: [], unreachable: [] } });
    expect(overlay.partsSent).toEqual([NODES.length, 3, 3, NODES.length]);
  });

  it('tears down a deleted tunnel at its ends', async () => {
    await deploy(TRIANGLE, { topologyId: 'topo-1' });
    const { events } = await deploy(CHAIN, { topologyId: 'topo-2' });
    expect(plan(events).removedTunnels).toEqual([{ a: 1, b: 3, name: 'tunnel-1-3' }]);
    expect(overlay.posted[1]!.removed).toEqual({ nodes: [], tunnels: [{ a: 1, b: 3 }] });
  });

  it.each([
    {
      name: 'an invalid topology, with validate\'s messages',
      topology: { roots: [roots[0], roots[0]], tunnels: [] },
      problems: [expect.stringMatching(/^roots\[1\]\.id: /), expect.stringMatching(/^roots\[1\]\.name: /), expect.stringMatching(/^roots\[1\]\.internetAddress: /), expect.stringMatching(/^roots\[1\]\.overlay: /)],
    },
    {
      name: 'a node the overlay has no agent for',
      topology: { roots: [...roots, makeRoot(4, { maxClients: 50 })], tunnels: [] },
      problems: ['root-4: overlay "test" has no agent for it; install its agent first', 'leaf-4-1: overlay "test" has no agent for it; install its agent first'],
    },
    {
      name: 'a topology without the entry root',
      topology: { roots: roots.slice(1), tunnels: [] },
      problems: ['root-1, the overlay\'s entry root, is not in this topology: a deploy enters the overlay there'],
    },
  ])('refuses $name, sending nothing and keeping no key', async ({ topology, problems }) => {
    const { outcome, kinds } = await deploy(topology);
    expect(outcome).toEqual({ kind: 'refused', problems });
    expect(kinds).toEqual(['done']);
    expect(overlay.posted).toEqual([]);
    expect(existsSync(path.join(stateDir, 'raincoat-keys.json'))).toBe(false);
  });

  it('refuses a deploy whose kept keys the passphrase does not open, before its plan, leaving them as they were', async () => {
    await deploy(CHAIN, { topologyId: 'topo-1' });
    const before = await readFile(path.join(stateDir, 'raincoat-keys.json'), 'utf8');
    const { outcome, kinds } = await deploy(TRIANGLE, { secrets: testUnlocker({ passphrase: 'not the passphrase at all' }) });
    expect(outcome).toEqual({ kind: 'refused', problems: [`${path.join(stateDir, 'raincoat-keys.json')}: wrong passphrase (the one of the test): it does not open these secrets; nothing was changed`] });
    expect(kinds).toEqual(['done']);
    expect(overlay.posted).toHaveLength(1);
    expect(await readFile(path.join(stateDir, 'raincoat-keys.json'), 'utf8')).toBe(before);
  });

  it('refuses a first deploy with no passphrase to keep its keys under, before its plan, keeping no key', async () => {
    const { outcome, kinds } = await deploy(CHAIN, { secrets: testUnlocker({ passphrase: undefined }) });
    expect(outcome).toEqual({ kind: 'refused', problems: [`${path.join(stateDir, 'raincoat-keys.json')}: no passphrase: none in this test`] });
    expect(kinds).toEqual(['done']);
    expect(overlay.posted).toEqual([]);
    expect(existsSync(path.join(stateDir, 'raincoat-keys.json'))).toBe(false);
  });

  describe('hardening every node', () => {
    const access = fakeAccess({ 'root-1': 'vyos', 'leaf-1-1': 'linux', 'root-2': 'dry-run', 'leaf-2-1': 'dry-run' });
    const two = { roots: roots.slice(0, 2), tunnels: [{ a: 1, b: 2 }] };
    const portOf = (node: string) => Number(new URL(access.nodes[node]!.url).port);

    it("walls each node with its own agent's port open, drops OpenVPN to Raincoat's user, and shows both in the plan", async () => {
      const { outcome, events } = await deploy(two, { access });
      expect(outcome).toMatchObject({ kind: 'followed', summary: { confirmed: true } });
      const nodes = overlay.posted[0]!.nodes;
      // VyOS: its firewall among its set lines, checked as VyOS would.
      expect(nodes['root-1']!.commands).toContain(`set firewall ipv4 input filter rule 80 destination port '${portOf('root-1')}'`);
      expect(vyos.checked[0]!.set).toMatch(/^set firewall ipv4 forward filter default-action 'drop'$/m);
      // Linux: the firewall file the backend loads, and OpenVPN dropping root into its jail.
      expect(nodes['leaf-1-1']!.files['firewall.nft']).toContain(`tcp dport ${portOf('leaf-1-1')} accept`);
      expect(nodes['leaf-1-1']!.files['openvpn/client-server.conf']).toMatch(/^user raincoat-openvpn\ngroup raincoat-openvpn\nchroot \/etc\/raincoat\/openvpn\/client-server\/jail\/client-server$/m);
      // Dry-run: applies nothing, but its part and its plan show the firewall as any other file.
      expect(nodes['root-2']!.files['firewall.nft']).toContain(`tcp dport ${portOf('root-2')} accept`);
      const root2 = plan(events).nodes.find((n) => n.node === 'root-2')!;
      expect(root2.files.map((f) => f.path)).toEqual(expect.arrayContaining(['firewall.nft', 'jail/uplink-server/crl.pem']));
      expect(root2.files.find((f) => f.path === 'firewall.nft')!.diff).toContain(`+    tcp dport ${portOf('root-2')} accept comment "the agent"`);
    });
  });

  describe('to a VyOS node', () => {
    const access = fakeAccess({ 'root-1': 'vyos', 'leaf-1-1': 'dry-run' });
    const one = { roots: [makeRoot(1, { maxClients: 50 })], tunnels: [] };

    it('checks its configuration as VyOS would, sends its set lines, and lists them in the plan', async () => {
      const { outcome, events } = await deploy(one, { access, vyosVersion: '1.5' });
      expect(outcome).toMatchObject({ kind: 'followed', summary: { confirmed: true } });
      expect(vyos.checked).toEqual([{ set: expect.stringMatching(/^set /), version: '1.5' }]);
      expect(vyos.checked[0]!.set).toMatch(/^set interfaces openvpn vtun\d+ mode 'server'$/m);
      expect(overlay.posted[0]!.nodes['root-1']).toMatchObject({ backend: 'vyos', files: {}, commands: expect.arrayContaining([expect.stringMatching(/^set pki ca /)]) });
      expect(plan(events).nodes[0]!.commands).toContain("set pki certificate raincoat-uplink-server private key '[secret]'");
    });

    it('refuses what VyOS would refuse, with its message, sending nothing', async () => {
      vyos.refusal = { where: 'line 25', message: 'vpn ipsec esp-group raincoat-esp mode: value "sideways" is not valid' };
      const { outcome } = await deploy(one, { access });
      expect(outcome).toEqual({ kind: 'refused', problems: ['root-1: VyOS 1.4 would refuse line 25: vpn ipsec esp-group raincoat-esp mode: value "sideways" is not valid'] });
      expect(overlay.posted).toEqual([]);
    });

    it('checks only the nodes that run VyOS', async () => {
      vyos.refusal = { where: 'line 1', message: 'no' };
      const { outcome } = await deploy(one, { access: fakeAccess({ 'root-1': 'dry-run', 'leaf-1-1': 'dry-run' }) });
      expect(outcome).toMatchObject({ kind: 'followed' });
      expect(vyos.checked).toEqual([]);
    });
  });

  it('sends nothing when the plan is not approved', async () => {
    const { outcome, kinds } = await deploy(CHAIN, { approve: async () => false });
    expect(outcome).toEqual({ kind: 'declined' });
    expect(kinds).toEqual(['plan', 'done']);
    expect(overlay.posted).toEqual([]);
  });

  it('reports a failed node with its reason, confirms for the others, and records what the failed node still runs', async () => {
    await deploy(CHAIN, { topologyId: 'topo-1' });
    const before = (await record()).nodes;
    overlay.behave('root-3', { does: 'fail', reason: 'apply failed: swanctl --load-all: exit 1; reverted to topology topo-1' });
    const { outcome, kinds } = await deploy(TRIANGLE, { topologyId: 'topo-2' });
    expect(kinds).toContain('root-3 failed');
    expect(outcome).toMatchObject({ summary: { failed: [{ node: 'root-3', reason: 'apply failed: swanctl --load-all: exit 1; reverted to topology topo-1' }], confirmed: true } });
    expect(overlay.confirmed).toEqual(['topo-1', 'topo-2']);
    const after = (await record()).nodes;
    expect(after['root-3']).toEqual(before['root-3']);
    expect(after['root-1']).not.toEqual(before['root-1']);
  });

  it('reports an unreachable node, does not confirm, says the deploy reverts, and keeps the record as it was', async () => {
    await deploy(CHAIN, { topologyId: 'topo-1' });
    const kept = await readFile(path.join(stateDir, 'deployed.json'), 'utf8');
    overlay.behave('leaf-2-1', { does: 'silent' });
    const { outcome, events, kinds } = await deploy(TRIANGLE, { topologyId: 'topo-2', confirmDeadlineMs: 600_000 });
    expect(kinds.slice(-3)).toEqual(['leaf-2-1 unreachable', 'reverting', 'done']);
    expect(events.find((e) => e.kind === 'node' && e.node === 'leaf-2-1')).toMatchObject({ reason: expect.stringMatching(/^down \(last heartbeat /) });
    expect(events.find((e) => e.kind === 'reverting')).toMatchObject({ reason: 'leaf-2-1 could not be reached', by: expect.any(Number) });
    expect(outcome).toMatchObject({ summary: { confirmed: false, unreachable: [{ node: 'leaf-2-1' }] } });
    expect(overlay.confirmed).toEqual(['topo-1']);
    expect(await readFile(path.join(stateDir, 'deployed.json'), 'utf8')).toBe(kept);
  });

  it('says so when the entry root does not take the package', async () => {
    overlay = fakeOverlay(NODES, clock, { refuseDeploy: 'topology topo-1 is being deployed already' });
    const { outcome } = await deploy(CHAIN, { topologyId: 'topo-1' });
    expect(outcome).toEqual({ kind: 'not-posted', reason: 'root-1 did not take the deploy: topology topo-1 is being deployed already' });
  });

  it('plans as a first deploy when the record is corrupt, keeping it aside and saying so', async () => {
    await writeFile(path.join(stateDir, 'deployed.json'), '{"version": 1,');
    const { events } = await deploy(CHAIN, { topologyId: 'topo-1' });
    expect(events[0]).toMatchObject({ kind: 'notice', message: expect.stringMatching(/^what was deployed last could not be read \(not JSON.*\); kept it as .*deployed\.json\.corrupt-/) });
    expect(plan(events).nodes.every((n) => n.change === 'added')).toBe(true);
  });
});

describe('the administrator state a deploy leaves on the roots', () => {
  it('once confirmed: the record just kept and the keys as sealed, under the passphrase alone, put at the entry root', async () => {
    const { events } = await deploy(CHAIN, { topologyId: 'topo-1' });
    expect(overlay.states.map((s) => s.topologyId)).toEqual(['topo-1']);
    const [state] = overlay.states;
    expect(await recordOf(state!)).toEqual({ record: await record() });
    const sealed = JSON.parse(await readFile(path.join(stateDir, 'raincoat-keys.json'), 'utf8'));
    expect(state!.keys).toEqual(sealed);
    expect(JSON.stringify(state)).not.toContain((await keptKeys()).controlCa.keyPem.split('\n')[1]);
    expect(events.filter((e) => e.kind === 'notice')).toEqual([]);
  });

  it('none when the deploy is not approved, or not confirmed', async () => {
    await deploy(CHAIN, { approve: async () => false });
    overlay.behave('leaf-2-1', { does: 'silent' });
    await deploy(CHAIN, { topologyId: 'topo-1', confirmDeadlineMs: 600_000 });
    expect(overlay.states).toEqual([]);
  });

  it('not kept by the entry root: said, and the deploy is done all the same', async () => {
    overlay = fakeOverlay(NODES, clock, { refuseState: 'the state is 17000000 bytes, more than the 16777216 a root keeps' });
    const { outcome, events } = await deploy(CHAIN, { topologyId: 'topo-1' });
    expect(outcome).toMatchObject({ kind: 'followed', summary: { confirmed: true } });
    expect(events.filter((e) => e.kind === 'notice')).toEqual([
      {
        kind: 'notice',
        message: "the overlay's roots do not keep this deploy's administrator state (the state is 17000000 bytes, more than the 16777216 a root keeps): a workstation that restores it from them gets the one before",
      },
    ]);
    expect((await record()).topologyId).toBe('topo-1');
  });
});

describe('a deploy the application stopped following (killed after the post)', () => {
  /** A deploy whose follower dies at its first wait after the post, as a killed application would. */
  async function postThenDie(topology: unknown, topologyId: string) {
    const dying = { ...clock, sleep: async () => Promise.reject(new Error('killed')) };
    // A node slower than the first status read, so that the follower waits at least once.
    overlay.behave('leaf-2-1', { does: 'apply', afterMs: 1_200 });
    await expect(deploy(topology, { topologyId, clock: dying, confirmDeadlineMs: 600_000 })).rejects.toThrow('killed');
  }
  const resume = async () => {
    const events: DeployEvent[] = [];
    const outcome = await resumeDeploy({ access, entry: overlay.entry, stateDir, clock, onEvent: (e) => events.push(e) });
    return { outcome, kinds: events.map((e) => (e.kind === 'node' ? `${e.node} ${e.outcome}` : e.kind)) };
  };

  it('leaves nothing unsettled once a deploy is confirmed', async () => {
    await deploy(CHAIN, { topologyId: 'topo-1' });
    expect(existsSync(path.join(stateDir, 'deploy-in-flight.json'))).toBe(false);
    expect(await resume()).toEqual({ outcome: undefined, kinds: [] });
  });

  it('is followed again, confirmed and recorded by the next run', async () => {
    await postThenDie(CHAIN, 'topo-1');
    expect(existsSync(path.join(stateDir, 'deploy-in-flight.json'))).toBe(true);
    expect(overlay.confirmed).toEqual([]);

    const { outcome, kinds } = await resume();
    expect(kinds[0]).toBe('notice');
    expect(kinds.slice(1)).toEqual(['posted', ...NODES.filter((n) => n !== 'leaf-2-1').map((n) => `${n} applied`), 'leaf-2-1 applied', 'confirmed', 'done']);
    expect(outcome).toMatchObject({ kind: 'followed', summary: { topologyId: 'topo-1', confirmed: true, failed: [], unreachable: [] } });
    expect(overlay.confirmed).toEqual(['topo-1']);
    expect((await record()).topologyId).toBe('topo-1');
    expect(overlay.states.map((s) => s.topologyId)).toEqual(['topo-1']);
    expect(existsSync(path.join(stateDir, 'deploy-in-flight.json'))).toBe(false);
  });

  it('refuses a new deploy while it is unsettled, saying when it settles by itself', async () => {
    await postThenDie(CHAIN, 'topo-1');
    const { outcome } = await deploy(TRIANGLE, { topologyId: 'topo-2' });
    expect(outcome).toMatchObject({ kind: 'refused', problems: [expect.stringMatching(/^the deploy of topology topo-1 is not settled yet .* go back by themselves by /)] });
    expect(overlay.posted.map((p) => p.topologyId)).toEqual(['topo-1']);
  });

  it('past its confirmation deadline, is reported as gone back by itself, not confirmed', async () => {
    await postThenDie(CHAIN, 'topo-1');
    clock.advance(600_001);
    const { outcome, kinds } = await resume();
    expect(kinds).toEqual(['notice', 'posted', 'reverting']);
    expect(outcome).toMatchObject({ summary: { confirmed: false, notConfirmed: 'the application was not running when the deploy had to be confirmed' } });
    expect(overlay.confirmed).toEqual([]);
    expect(existsSync(path.join(stateDir, 'deploy-in-flight.json'))).toBe(false);
  });
});
