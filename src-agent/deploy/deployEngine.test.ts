import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOpeningKey, type OpeningKey } from '../../src-shared/crypto/seal.ts';
import { buildDeployPackage, type DeployNodeInput, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { createDryRunBackend } from '../backends/dryRun.ts';
import { memoryFileTree } from '../backends/fakes.testkit.ts';
import type { Backend, FileSnapshot } from '../backends/types.ts';
import { jsonStateFile, type StateStore } from '../../src-node/jsonStateFile.ts';
import { createManualClock } from '../clock.ts';
import type { ManualClock } from '../clock.ts';
import { CREATED_AT_SKEW_MS } from './acceptPackage.ts';
import { createDeployEngine, type DeployEngineOptions } from './deployEngine.ts';
import { DeployStateSchema, type DeployState } from './deployState.ts';
import { backupSeal } from './sealedBackup.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';

const ME = 'root-1';
const T0 = Date.UTC(2026, 0, 2, 3, 0, 0);
const DEADLINE = 60_000;
const PSK = 'the-pre-shared-key-of-tunnel-1-2-is-sixty-characters-long-x';
const CA_KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgthe0key0of0the0ca\n-----END PRIVATE KEY-----\n';


/** Keeps the state as JSON and validates every save against the schema, as the state file would. */
function memoryStore(initial?: DeployState): StateStore<DeployState> & { value: DeployState | undefined } {
  const store = {
    value: initial,
    load: async () => (store.value ? { kind: 'ok' as const, value: structuredClone(store.value) } : { kind: 'missing' as const }),
    save: async (value: DeployState) => {
      store.value = DeployStateSchema.parse(JSON.parse(JSON.stringify(value)));
    },
  };
  return store;
}

type Fault = Partial<Record<'backup' | 'apply' | 'restore' | 'resume' | 'teardownTunnels' | 'teardownAll', Error | 'hang'>>;

/** The dry-run backend on a memory tree, recording calls; `faults` makes chosen calls throw or never finish. */
function recordingBackend(initial: FileSnapshot = { 'before.conf': { content: 'before raincoat', mode: 0o644 } }) {
  const tree = memoryFileTree(initial);
  const inner = createDryRunBackend({ tree });
  const calls: string[] = [];
  const faults: Fault = {};
  const step = async <T>(name: keyof Fault, detail: string, run: () => Promise<T>): Promise<T> => {
    calls.push(detail ? `${name} ${detail}` : name);
    const fault = faults[name];
    if (fault === 'hang') return new Promise<T>(() => undefined);
    if (fault) throw fault;
    return run();
  };
  const backend: Backend = {
    name: 'dry-run',
    accepts: inner.accepts,
    backup: () => step('backup', '', () => inner.backup()),
    apply: (part) => step('apply', '', () => inner.apply(part)),
    restore: (backup) => step('restore', '', () => inner.restore(backup)),
    resume: () => step('resume', '', () => inner.resume()),
    teardownTunnels: (names) => step('teardownTunnels', names.join(','), () => inner.teardownTunnels(names)),
    teardownAll: () => step('teardownAll', '', () => inner.teardownAll()),
  };
  return { backend, tree, calls, faults };
}

async function identity() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const opening = await importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
  return { spki, opening };
}

let me: { spki: Uint8Array; opening: OpeningKey };
let stranger: { spki: Uint8Array; opening: OpeningKey };
beforeEach(async () => {
  [me, stranger] = await Promise.all([identity(), identity()]);
});

interface PackageOptions {
  id?: string;
  createdAt?: number;
  node?: Partial<DeployNodeInput> | null;
  key?: Uint8Array;
  removed?: { nodes?: string[]; tunnels?: { a: number; b: number }[] };
}

async function deployPackage(options: PackageOptions = {}): Promise<DeployPackage> {
  const id = options.id ?? 't1';
  const node: DeployNodeInput = {
    backend: 'linux',
    files: { 'swanctl/swanctl.conf': `# ${id}\nsecrets { ike { secret = "{{secret:psk}}" } }\n`, 'openvpn/uplink.conf': `# ${id}\n` },
    secrets: { psk: PSK },
    ...options.node,
  };
  return buildDeployPackage({
    topologyId: id,
    createdAt: new Date(options.createdAt ?? T0).toISOString(),
    deadlineMs: DEADLINE,
    entryRootId: 1,
    nodes: options.node === null ? { 'root-2': { backend: 'linux' } } : { [ME]: node },
    identityKeys: { [ME]: options.key ?? me.spki },
    ...(options.removed ? { removed: options.removed } : {}),
  });
}

function engineWith(parts: { backend: Backend; store: StateStore<DeployState>; clock: ManualClock }, extra: Partial<DeployEngineOptions> = {}) {
  const statuses: DeployStatus[] = [];
  const engine = createDeployEngine({
    nodeName: ME,
    backend: parts.backend,
    openingKey: me.opening,
    store: parts.store,
    clock: parts.clock,
    onStatus: (s) => statuses.push(s),
    ...extra,
  });
  return { engine, statuses };
}

async function started(initial?: FileSnapshot) {
  const rec = recordingBackend(initial);
  const store = memoryStore();
  const clock = createManualClock(T0);
  const { engine, statuses } = engineWith({ backend: rec.backend, store, clock });
  await engine.start();
  expect(rec.calls).toEqual(['resume']);
  rec.calls.length = 0;
  return { ...rec, store, clock, engine, statuses };
}

describe('deploy engine: apply', () => {
  it('verifies, opens its secrets, backs up, applies and waits for confirmation', async () => {
    const { engine, tree, calls, store, statuses } = await started();
    const outcome = await engine.receive(await deployPackage());
    expect(outcome.result).toBe('awaiting-confirm');
    expect(outcome.status).toMatchObject({ state: 'awaiting-confirm', topologyId: 't1', runningTopologyId: 't1', deadlineAt: T0 + DEADLINE });
    expect(calls).toEqual(['backup', 'apply']);
    expect(tree.files).toEqual({
      'swanctl/swanctl.conf': { content: `# t1\nsecrets { ike { secret = "${PSK}" } }\n`, mode: 0o600 },
      'openvpn/uplink.conf': { content: '# t1\n', mode: 0o644 },
      psk: { content: PSK, mode: 0o600 },
    });
    expect(statuses.map((s) => s.state)).toEqual(['deploying', 'awaiting-confirm']);
    expect(store.value?.trial).toMatchObject({ topologyId: 't1', phase: 'awaiting-confirm' });
    expect(await backupSeal(ME, me.opening).open(store.value!.trial!.revertTo!)).toMatchObject({ files: { 'before.conf': {} } });
  });

  it('refuses a package whose digest does not match, touching nothing', async () => {
    const { engine, calls, store } = await started();
    const pkg = await deployPackage();
    const tampered: DeployPackage = structuredClone(pkg);
    tampered.nodes[ME]!.files['openvpn/uplink.conf'] = 'route 0.0.0.0 0.0.0.0\n';
    const outcome = await engine.receive(tampered);
    expect(outcome).toMatchObject({ result: 'refused', reason: expect.stringMatching(/digest mismatch/), status: { state: 'idle' } });
    expect(calls).toEqual([]);
    expect(store.value?.latest).toBeUndefined();
    expect((await engine.receive(pkg)).result).toBe('awaiting-confirm');
  });

  it('fails on a secret sealed to another node’s key, before touching the configuration', async () => {
    const { engine, calls } = await started();
    const outcome = await engine.receive(await deployPackage({ key: stranger.spki }));
    expect(outcome).toMatchObject({ result: 'failed', status: { state: 'failed', topologyId: 't1' } });
    expect(outcome.reason).toMatch(/^secret "psk" sealed to another key/);
    expect(calls).toEqual([]);
  });

  it('restores the backup and reports failed with the reason when applying fails, without the secret in it', async () => {
    const { engine, tree, calls, faults, store } = await started();
    faults.apply = new Error(`swanctl --load-all failed (exit 22): invalid value for secret ${PSK}`);
    const outcome = await engine.receive(await deployPackage());
    expect(calls).toEqual(['backup', 'apply', 'restore']);
    expect(outcome.result).toBe('failed');
    expect(outcome.status.reason).toBe(
      'apply failed: swanctl --load-all failed (exit 22): invalid value for secret [secret]; reverted to the configuration from before Raincoat',
    );
    expect(tree.files).toEqual({ 'before.conf': { content: 'before raincoat', mode: 0o644 } });
    expect(store.value?.trial).toBeUndefined();
    expect(store.value?.running).toBeUndefined();
  });

  it('says so when the restore fails too, and retries it later', async () => {
    const { engine, tree, calls, faults, clock, statuses } = await started();
    faults.apply = new Error('boom');
    faults.restore = new Error('disk full');
    const outcome = await engine.receive(await deployPackage());
    expect(outcome.status.reason).toBe('apply failed: boom; restoring the previous configuration failed too (disk full), will retry');
    delete faults.restore;
    clock.advance(30_000);
    await engine.settled();
    expect(calls).toEqual(['backup', 'apply', 'restore', 'restore']);
    expect(statuses.at(-1)?.reason).toBe('apply failed: boom; reverted to the configuration from before Raincoat');
    expect(tree.files['before.conf']).toBeDefined();
  });

  it('changes nothing when the same package comes again', async () => {
    const { engine, calls } = await started();
    const pkg = await deployPackage();
    await engine.receive(pkg);
    const again = await engine.receive(structuredClone(pkg));
    expect(again).toMatchObject({ result: 'unchanged', status: { state: 'awaiting-confirm', topologyId: 't1' } });
    expect(calls).toEqual(['backup', 'apply']);
  });

  it('tries a package that failed here again when it comes again', async () => {
    const { engine, calls, faults } = await started();
    const pkg = await deployPackage();
    faults.apply = new Error('charon is not running');
    expect((await engine.receive(pkg)).result).toBe('failed');
    delete faults.apply;
    expect(await engine.receive(structuredClone(pkg))).toMatchObject({ result: 'awaiting-confirm', status: { state: 'awaiting-confirm', topologyId: 't1' } });
    expect(calls).toEqual(['backup', 'apply', 'restore', 'backup', 'apply']);
    expect((await engine.receive(pkg)).result).toBe('unchanged');
  });

  it('changes nothing when the package that removed this node comes again', async () => {
    const { engine, calls } = await started();
    const removal = await deployPackage({ node: null, removed: { nodes: [ME] } });
    expect((await engine.receive(removal)).result).toBe('removed');
    expect((await engine.receive(removal)).result).toBe('unchanged');
    expect(calls).toEqual(['backup', 'teardownAll']);
  });

  it('refuses the topology id in effect under another digest, also once a newer deploy failed', async () => {
    const { engine, faults } = await started();
    await engine.receive(await deployPackage({ id: 't1' }));
    await engine.confirm('t1');
    faults.apply = new Error('disk full');
    expect((await engine.receive(await deployPackage({ id: 't2', createdAt: T0 + 1 }))).result).toBe('failed');
    const reused = await deployPackage({ id: 't1', createdAt: T0 + 2, node: { files: { 'x.conf': 'other' } } });
    expect(await engine.receive(reused)).toMatchObject({ result: 'refused', reason: 'topology t1 is already known here with another digest' });
  });

  it('refuses a stale package and a reused topology id with another digest', async () => {
    const { engine } = await started();
    await engine.receive(await deployPackage({ id: 't2', createdAt: T0 + 1_000 }));
    expect(await engine.receive(await deployPackage({ id: 't1', createdAt: T0 }))).toMatchObject({ result: 'refused', reason: expect.stringMatching(/stale/) });
    const other = await deployPackage({ id: 't2', createdAt: T0 + 1_000, node: { files: { 'x.conf': 'other' } } });
    expect(await engine.receive(other)).toMatchObject({ result: 'refused', reason: expect.stringMatching(/another digest/) });
  });

  it('refuses a package created more than the clock skew ahead, so it cannot make every later deploy stale', async () => {
    const { engine, calls } = await started();
    const future = await deployPackage({ id: 'future', createdAt: T0 + CREATED_AT_SKEW_MS + 1 });
    expect(await engine.receive(future)).toMatchObject({ result: 'refused', reason: expect.stringMatching(/created in the future/) });
    expect(calls).toEqual([]);
    expect((await engine.receive(await deployPackage({ id: 'skewed', createdAt: T0 + CREATED_AT_SKEW_MS }))).result).toBe('awaiting-confirm');
  });

  it('knows the digest of the package in effect, also once a newer deploy failed, and the one a rollback goes back to', async () => {
    const { engine, faults } = await started();
    expect(engine.runningDigest()).toBeUndefined();
    const t1 = await deployPackage({ id: 't1' });
    await engine.receive(t1);
    expect(engine.runningDigest()).toBe(t1.digest);
    expect(engine.holding().inUse).toEqual([{ topologyId: 't1', digest: t1.digest }]);
    await engine.confirm('t1');
    faults.apply = new Error('disk full');
    expect((await engine.receive(await deployPackage({ id: 't2', createdAt: T0 + 1 }))).result).toBe('failed');
    expect(engine.status().runningTopologyId).toBe('t1');
    expect(engine.runningDigest()).toBe(t1.digest);
    delete faults.apply;
    const t3 = await deployPackage({ id: 't3', createdAt: T0 + 2 });
    await engine.receive(t3);
    expect(engine.holding()).toMatchObject({ held: { topologyId: 't3' }, heldFailed: false, inUse: [{ topologyId: 't3', digest: t3.digest }, { topologyId: 't1', digest: t1.digest }] });
  });

  it('fails a package without a part for this node, or rendered for a backend it does not run', async () => {
    const { engine } = await started();
    expect((await engine.receive(await deployPackage({ node: null }))).reason).toBe('the package has no part for root-1');

    const linuxOnly: Backend = { ...recordingBackend().backend, name: 'linux', accepts: (b) => b === 'linux' };
    const { engine: linux } = engineWith({ backend: linuxOnly, store: memoryStore(), clock: createManualClock(T0) });
    await linux.start();
    const vyosPart = await deployPackage({ node: { backend: 'vyos', files: {}, commands: ["set x '{{secret:psk}}'"] } });
    expect((await linux.receive(vyosPart)).reason).toBe('the package renders root-1 for the vyos backend, but this agent runs linux');
  });

  it('terminates the deleted tunnels this node ends', async () => {
    const { engine, calls } = await started();
    await engine.receive(await deployPackage({ removed: { tunnels: [{ a: 2, b: 1 }, { a: 2, b: 3 }] } }));
    expect(calls).toEqual(['backup', 'apply', 'teardownTunnels tunnel-1-2']);
  });

  it('tears everything down when the node itself is removed', async () => {
    const { engine, tree, calls } = await started();
    await engine.receive(await deployPackage());
    await engine.confirm('t1');
    const outcome = await engine.receive(await deployPackage({ id: 't2', node: null, removed: { nodes: [ME] } }));
    expect(outcome).toMatchObject({ result: 'removed', status: { state: 'removed', topologyId: 't2' } });
    expect(outcome.status.runningTopologyId).toBeUndefined();
    expect(calls).toEqual(['backup', 'apply', 'backup', 'teardownAll']);
    expect(tree.files).toEqual({});
  });

  it('puts the configuration back when a teardown fails', async () => {
    const { engine, tree, faults } = await started();
    faults.teardownAll = new Error('charon is not running');
    const outcome = await engine.receive(await deployPackage({ node: null, removed: { nodes: [ME] } }));
    expect(outcome.reason).toBe('teardown failed: charon is not running; restored the previous configuration');
    expect(tree.files['before.conf']).toBeDefined();
  });
});

describe('deploy engine: confirmation', () => {
  it('keeps the deploy when confirm_deploy arrives before the deadline', async () => {
    const { engine, tree, calls, clock, store } = await started();
    await engine.receive(await deployPackage());
    clock.advance(DEADLINE - 1);
    expect(await engine.confirm('t1')).toMatchObject({ result: 'confirmed', status: { state: 'deployed', topologyId: 't1', runningTopologyId: 't1' } });
    clock.advance(DEADLINE);
    await engine.settled();
    expect(calls).toEqual(['backup', 'apply']);
    expect(tree.files['openvpn/uplink.conf']?.content).toBe('# t1\n');
    expect(store.value).toMatchObject({ confirmed: 't1', running: { topologyId: 't1' } });
    expect(store.value?.trial).toBeUndefined();
    expect(clock.pending()).toBe(0);
    expect((await engine.confirm('t1')).result).toBe('already-confirmed');
  });

  it('reverts by itself at the deadline without a confirmation, and says why', async () => {
    const { engine, tree, calls, clock, statuses } = await started();
    await engine.receive(await deployPackage());
    clock.advance(DEADLINE - 1);
    await engine.settled();
    expect(calls).toEqual(['backup', 'apply']);
    clock.advance(1);
    await engine.settled();
    expect(calls).toEqual(['backup', 'apply', 'restore']);
    expect(tree.files).toEqual({ 'before.conf': { content: 'before raincoat', mode: 0o644 } });
    expect(statuses.at(-1)).toMatchObject({
      state: 'failed',
      topologyId: 't1',
      reason: `no confirm_deploy for topology t1 arrived before the deadline (${new Date(T0 + DEADLINE).toISOString()}); reverted to the configuration from before Raincoat`,
    });
    expect(statuses.at(-1)?.runningTopologyId).toBeUndefined();
    expect(await engine.confirm('t1')).toMatchObject({ result: 'ignored', reason: 'topology t1 is not awaiting confirmation here (failed)' });
  });

  it('reverts to the last confirmed deploy, also across an unconfirmed one it superseded', async () => {
    const { engine, tree, calls, clock, statuses } = await started();
    await engine.receive(await deployPackage({ id: 't1' }));
    await engine.confirm('t1');
    await engine.receive(await deployPackage({ id: 't2', createdAt: T0 + 1 }));
    await engine.receive(await deployPackage({ id: 't3', createdAt: T0 + 2 }));
    expect(calls).toEqual(['backup', 'apply', 'backup', 'apply', 'apply']);
    clock.advance(DEADLINE);
    await engine.settled();
    expect(tree.files['openvpn/uplink.conf']?.content).toBe('# t1\n');
    expect(statuses.at(-1)).toMatchObject({ state: 'failed', topologyId: 't3', runningTopologyId: 't1' });
    expect(statuses.at(-1)?.reason).toMatch(/reverted to topology t1$/);
  });

  it('applies a confirmation that overtook its package', async () => {
    const { engine, clock, calls } = await started();
    expect((await engine.confirm('t1')).result).toBe('remembered');
    expect(await engine.receive(await deployPackage())).toMatchObject({ result: 'deployed', status: { state: 'deployed', topologyId: 't1' } });
    clock.advance(DEADLINE * 2);
    await engine.settled();
    expect(calls).toEqual(['backup', 'apply']);
  });
});

describe('deploy engine: a part already in effect', () => {
  /** The same part in every topology: the same files and secret, sealed afresh in each package. */
  const SAME: Partial<DeployNodeInput> = { files: { 'swanctl/swanctl.conf': 'secrets { ike { secret = "{{secret:psk}}" } }\n' } };
  const samePart = (id: string, createdAt: number) => deployPackage({ id, createdAt, node: SAME });

  /** Started with t1 applied and confirmed; records every backend call the engine announces. */
  async function runningT1() {
    const announced: string[] = [];
    const rec = recordingBackend();
    const store = memoryStore();
    const clock = createManualClock(T0);
    const { engine, statuses } = engineWith({ backend: rec.backend, store, clock }, { onBackendCall: (call, topologyId) => announced.push(`${call} ${topologyId}`) });
    await engine.start();
    const t1 = await samePart('t1', T0);
    await engine.receive(t1);
    await engine.confirm('t1');
    return { ...rec, store, clock, engine, statuses, announced, t1 };
  }

  it('takes it without backup or apply, awaits the confirmation with it, then is deployed', async () => {
    const { engine, calls, tree, store, statuses, announced } = await runningT1();
    const filesBefore = structuredClone(tree.files);
    const t2 = await samePart('t2', T0 + 1);
    expect(t2.nodes[ME]!.sealedSecrets).not.toEqual((await samePart('t1', T0)).nodes[ME]!.sealedSecrets);
    const outcome = await engine.receive(t2);
    expect(outcome).toMatchObject({ result: 'awaiting-confirm', status: { state: 'awaiting-confirm', topologyId: 't2', runningTopologyId: 't2', deadlineAt: T0 + DEADLINE } });
    expect(calls).toEqual(['resume', 'backup', 'apply']);
    expect(announced).toEqual(['resume undefined', 'backup t1', 'apply t1']);
    expect(tree.files).toEqual(filesBefore);
    expect(engine.runningDigest()).toBe(t2.digest);
    expect(store.value?.trial).toMatchObject({ topologyId: 't2', phase: 'awaiting-confirm' });
    expect(store.value?.trial?.revertTo).toBeUndefined();
    expect(statuses.slice(-2).map((s) => s.state)).toEqual(['deploying', 'awaiting-confirm']);

    expect(await engine.confirm('t2')).toMatchObject({ result: 'confirmed', status: { state: 'deployed', topologyId: 't2', runningTopologyId: 't2' } });
    expect(calls).toEqual(['resume', 'backup', 'apply']);
  });

  it('reverts it at the deadline to the previous package’s id, restoring nothing', async () => {
    const { engine, calls, tree, clock, statuses, t1 } = await runningT1();
    const filesBefore = structuredClone(tree.files);
    await engine.receive(await samePart('t2', T0 + 1));
    clock.advance(DEADLINE);
    await engine.settled();
    expect(calls).toEqual(['resume', 'backup', 'apply']);
    expect(tree.files).toEqual(filesBefore);
    expect(statuses.at(-1)).toMatchObject({ state: 'failed', topologyId: 't2', runningTopologyId: 't1', reason: expect.stringMatching(/reverted to topology t1$/) });
    expect(engine.runningDigest()).toBe(t1.digest);
    expect(engine.holding().inUse).toEqual([{ topologyId: 't1', digest: t1.digest }]);
  });

  it('brings the daemons up when it comes back after the deadline of such a deploy, restoring nothing', async () => {
    const first = await runningT1();
    await first.engine.receive(await samePart('t2', T0 + 1));
    first.engine.stop();
    const { engine } = engineWith({ backend: first.backend, store: first.store, clock: createManualClock(T0 + DEADLINE) });
    expect((await engine.start()).status).toMatchObject({ state: 'failed', topologyId: 't2', runningTopologyId: 't1' });
    expect(first.calls).toEqual(['resume', 'backup', 'apply', 'resume']);
  });

  it('still backs up and applies a part that changed', async () => {
    const { engine, calls, tree } = await runningT1();
    const outcome = await engine.receive(await deployPackage({ id: 't2', createdAt: T0 + 1, node: { files: { 'swanctl/swanctl.conf': 'other' } } }));
    expect(outcome).toMatchObject({ result: 'awaiting-confirm', status: { topologyId: 't2' } });
    expect(calls).toEqual(['resume', 'backup', 'apply', 'backup', 'apply']);
    expect(tree.files['swanctl/swanctl.conf']?.content).toBe('other');
  });

  it('applies the same part again once the configuration could not be brought up', async () => {
    const first = await runningT1();
    first.faults.resume = new Error('charon is not running');
    const { engine } = engineWith({ backend: first.backend, store: first.store, clock: createManualClock(T0) });
    await engine.start();
    delete first.faults.resume;
    expect((await engine.receive(await samePart('t2', T0 + 1))).result).toBe('awaiting-confirm');
    expect(first.calls).toEqual(['resume', 'backup', 'apply', 'resume', 'backup', 'apply']);
  });
});

describe('deploy engine: restarts', () => {
  it('still reverts at the deadline after a restart inside the confirmation window', async () => {
    const first = await started();
    await first.engine.receive(await deployPackage());
    first.engine.stop();
    first.clock.advance(DEADLINE / 2);

    const clock = createManualClock(first.clock.now());
    const { engine, statuses } = engineWith({ backend: first.backend, store: first.store, clock });
    expect((await engine.start()).status).toMatchObject({ state: 'awaiting-confirm', topologyId: 't1' });
    clock.advance(DEADLINE / 2 - 1);
    await engine.settled();
    expect(first.calls).toEqual(['backup', 'apply', 'resume']);
    clock.advance(1);
    await engine.settled();
    expect(first.calls).toEqual(['backup', 'apply', 'resume', 'restore']);
    expect(statuses.at(-1)?.reason).toMatch(/^no confirm_deploy for topology t1 arrived before the deadline/);
    expect(first.tree.files['before.conf']).toBeDefined();
  });

  it('keeps a deploy confirmed after the restart', async () => {
    const first = await started();
    await first.engine.receive(await deployPackage());
    first.engine.stop();
    const clock = createManualClock(first.clock.now() + 1_000);
    const { engine } = engineWith({ backend: first.backend, store: first.store, clock });
    await engine.start();
    expect((await engine.confirm('t1')).result).toBe('confirmed');
    clock.advance(DEADLINE);
    await engine.settled();
    expect(first.calls).toEqual(['backup', 'apply', 'resume']);
  });

  it('reverts at once when it comes back after the deadline', async () => {
    const first = await started();
    await first.engine.receive(await deployPackage());
    first.engine.stop();
    const { engine } = engineWith({ backend: first.backend, store: first.store, clock: createManualClock(T0 + DEADLINE * 3) });
    const { status } = await engine.start();
    expect(status).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^no confirm_deploy .* reverted to the configuration from before Raincoat$/) });
    expect(first.calls).toEqual(['backup', 'apply', 'restore']);
  });

  it('rolls back an apply the agent did not live to finish', async () => {
    const first = await started();
    first.faults.apply = 'hang';
    void first.engine.receive(await deployPackage());
    await new Promise((r) => setTimeout(r, 20));
    expect(first.store.value?.trial?.phase).toBe('applying');

    delete first.faults.apply;
    const { engine } = engineWith({ backend: first.backend, store: first.store, clock: createManualClock(T0) });
    const { status } = await engine.start();
    expect(status).toMatchObject({ state: 'failed', reason: 'the agent stopped while applying topology t1; reverted to the configuration from before Raincoat' });
    expect(first.calls).toEqual(['backup', 'apply', 'restore']);
    expect((await engine.receive(await deployPackage({ id: 't2', createdAt: T0 + 1 }))).result).toBe('awaiting-confirm');
  });

  it('applies the same package again after a restart cut its apply short', async () => {
    const first = await started();
    first.faults.apply = 'hang';
    const pkg = await deployPackage();
    void first.engine.receive(pkg);
    await new Promise((r) => setTimeout(r, 20));
    expect(first.engine.holding()).toMatchObject({ held: { topologyId: 't1' }, heldFailed: false });

    delete first.faults.apply;
    const { engine } = engineWith({ backend: first.backend, store: first.store, clock: createManualClock(T0) });
    expect((await engine.start()).status).toMatchObject({ state: 'failed', topologyId: 't1' });
    expect(engine.holding()).toMatchObject({ held: { topologyId: 't1' }, heldFailed: true });
    expect(await engine.receive(pkg)).toMatchObject({ result: 'awaiting-confirm', status: { state: 'awaiting-confirm', topologyId: 't1', runningTopologyId: 't1' } });
    expect(first.calls).toEqual(['backup', 'apply', 'restore', 'backup', 'apply']);
    expect(first.tree.files['openvpn/uplink.conf']?.content).toBe('# t1\n');
  });

  it('brings the configuration up again when the agent starts, and reports when it cannot', async () => {
    const first = await started();
    await first.engine.receive(await deployPackage());
    await first.engine.confirm('t1');
    first.faults.resume = new Error('swanctl --load-all failed (exit 1): connecting to vici failed');
    const { engine } = engineWith({ backend: first.backend, store: first.store, clock: createManualClock(T0) });
    const { status } = await engine.start();
    expect(first.calls).toEqual(['backup', 'apply', 'resume']);
    expect(status).toMatchObject({
      state: 'failed',
      topologyId: 't1',
      runningTopologyId: 't1',
      reason: 'could not bring the configuration up after the agent started: swanctl --load-all failed (exit 1): connecting to vici failed',
    });
  });

  it('insists on start() first', async () => {
    const { engine } = engineWith({ backend: recordingBackend().backend, store: memoryStore(), clock: createManualClock(T0) });
    await expect(engine.confirm('t1')).rejects.toThrow(/start\(\) first/);
  });
});

describe('deploy engine: state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'raincoat-engine-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart through the real file', async () => {
    const path = join(dir, 'deploy-state.json');
    const rec = recordingBackend();
    const first = engineWith({ backend: rec.backend, store: jsonStateFile(path, DeployStateSchema), clock: createManualClock(T0) });
    await first.engine.start();
    await first.engine.receive(await deployPackage());
    first.engine.stop();
    expect(await readFile(path, 'utf8')).not.toContain(PSK.slice(0, 20));
    const second = engineWith({ backend: rec.backend, store: jsonStateFile(path, DeployStateSchema), clock: createManualClock(T0) });
    expect((await second.engine.start()).status.state).toBe('awaiting-confirm');
  });

  it('keeps the way back sealed while a deploy awaits confirmation, and opens it to roll back after a restart', async () => {
    const path = join(dir, 'deploy-state.json');
    const rec = recordingBackend({ 'ca.key': { content: CA_KEY, mode: 0o600 } });
    const first = engineWith({ backend: rec.backend, store: jsonStateFile(path, DeployStateSchema), clock: createManualClock(T0) });
    await first.engine.start();
    expect((await first.engine.receive(await deployPackage())).result).toBe('awaiting-confirm');
    first.engine.stop();
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(CA_KEY.split('\n')[1]);

    const second = engineWith({ backend: rec.backend, store: jsonStateFile(path, DeployStateSchema), clock: createManualClock(T0 + DEADLINE) });
    expect((await second.engine.start()).status).toMatchObject({ state: 'failed', reason: expect.stringMatching(/reverted to the configuration from before Raincoat$/) });
    expect(rec.tree.files).toEqual({ 'ca.key': { content: CA_KEY, mode: 0o600 } });
  });

  it('reports a corrupt state file, keeps it aside and starts afresh', async () => {
    const path = join(dir, 'deploy-state.json');
    await writeFile(path, '{"version":1,"status":');
    const rec = recordingBackend();
    const { engine } = engineWith({ backend: rec.backend, store: jsonStateFile(path, DeployStateSchema, () => T0), clock: createManualClock(T0) });
    const { status, problem } = await engine.start();
    const keptAs = `${path}.corrupt-2026-01-02T03-00-00-000Z`;
    expect(problem).toMatch(/^the deploy state file was corrupt \(not JSON: .*\); kept it as .*deploy-state\.json\.corrupt-2026-01-02T03-00-00-000Z and started afresh$/);
    expect(status).toMatchObject({ state: 'failed', reason: problem });
    expect(await readFile(keptAs, 'utf8')).toBe('{"version":1,"status":');
    expect((await readdir(dir)).sort()).toEqual(['deploy-state.json', 'deploy-state.json.corrupt-2026-01-02T03-00-00-000Z']);
    expect((await engine.receive(await deployPackage())).result).toBe('awaiting-confirm');
  });
});
