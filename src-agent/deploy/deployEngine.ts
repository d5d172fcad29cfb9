// One node's deploy state machine: verify, open its secrets, back up, apply, roll back on failure, keep or revert on confirmation, tear down.
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import { rootNodeName, tunnelName } from '../../src-shared/plan/nodeNames.ts';
import { verifyDeployDigest, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { Backend } from '../backends/types.ts';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { systemClock } from '../clock.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { DeployState, Trial } from './deployState.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import { redactSecrets, resolvePart } from './resolvePart.ts';
import { createSerialQueue } from '../../src-shared/async/serialQueue.ts';

export interface DeployEngineOptions {
  /** This node's name in the package (`root-<id>`, `leaf-<root>-<n>`). */
  nodeName: string;
  backend: Backend;
  /** This node's identity key, to open the secrets sealed to it. */
  openingKey: OpeningKey;
  store: StateStore<DeployState>;
  clock?: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  /** Called on every status change (heartbeats and the status endpoint report it). */
  onStatus?: (status: DeployStatus) => void;
  /** For errors that have no caller to go to (a timer's); never given secrets. */
  log?: (message: string) => void;
  /** How long to wait before trying a failed rollback again; default 30 s. */
  rollbackRetryMs?: number;
}

/**
 * `refused`: not taken into account at all (damaged, stale, or conflicting); the caller should not store or
 * pass the package on. `unchanged`: this very package was handled before. The others are the new status.
 */
export type ReceiveResult = 'awaiting-confirm' | 'deployed' | 'removed' | 'unchanged' | 'failed' | 'refused';
export interface ReceiveOutcome {
  result: ReceiveResult;
  status: DeployStatus;
  reason?: string;
}

/** `remembered`: a confirmation for a deploy not seen yet, applied when its package arrives. */
export type ConfirmResult = 'confirmed' | 'already-confirmed' | 'remembered' | 'ignored';
export interface ConfirmOutcome {
  result: ConfirmResult;
  status: DeployStatus;
  reason?: string;
}

/** How far ahead of this node's clock a package's `createdAt` may be: the flood router's clock skew allowance. */
export const CREATED_AT_SKEW_MS = 30_000;

/**
 * Why a package claims a creation time too far ahead, if it does. A package from the future would be newer than every
 * deploy the administrator makes until then, so each of those would be refused as stale.
 */
export function fromTheFuture(pkg: Pick<DeployPackage, 'createdAt'>, now: number): string | undefined {
  if (Date.parse(pkg.createdAt) <= now + CREATED_AT_SKEW_MS) return undefined;
  return `created in the future: ${pkg.createdAt} is more than ${CREATED_AT_SKEW_MS / 1000} s ahead of this node's clock (${new Date(now).toISOString()})`;
}

export interface DeployEngine {
  /** Loads the state; rolls back a deploy interrupted by a restart or past its deadline; arms the pending deadline. */
  start(): Promise<{ status: DeployStatus; problem?: string }>;
  receive(pkg: DeployPackage): Promise<ReceiveOutcome>;
  confirm(topologyId: string): Promise<ConfirmOutcome>;
  status(): DeployStatus;
  /** The digest of the package whose configuration is in effect here, when this node knows it. */
  runningDigest(): string | undefined;
  /** Resolves when every operation queued so far (including a timer's) has finished. */
  settled(): Promise<void>;
  /** Cancels the pending timer; the state on disk keeps the deadline for the next start. */
  stop(): void;
}

export function createDeployEngine(options: DeployEngineOptions): DeployEngine {
  const { backend, nodeName: me } = options;
  const clock = options.clock ?? systemClock;
  const retryMs = options.rollbackRetryMs ?? 30_000;
  let state: DeployState = { version: 1, earlyConfirms: [], status: { state: 'idle', at: clock.now() } };
  let started = false;
  let timer: TimerHandle | undefined;
  /** Every operation runs alone, in arrival order: a confirmation never interleaves with the apply it confirms. */
  const serial = createSerialQueue();

  function requireStarted(): void {
    if (!started) throw new Error('deploy engine: call start() first');
  }

  function setStatus(next: Omit<DeployStatus, 'at' | 'runningTopologyId'>): DeployStatus {
    state.status = { ...next, ...(state.running === undefined ? {} : { runningTopologyId: state.running }), at: clock.now() };
    options.onStatus?.(state.status);
    return state.status;
  }

  const save = () => options.store.save(state);

  function disarm(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  }

  function arm(): void {
    disarm();
    const trial = state.trial;
    if (!trial || trial.phase === 'applying') return;
    const wait = trial.phase === 'awaiting-confirm' ? trial.deadlineAt - clock.now() : retryMs;
    timer = clock.setTimeout(() => {
      serial(() => onTimer(trial.topologyId)).catch((error: unknown) => options.log?.(`deploy timer: ${(error as Error).message}`));
    }, Math.max(0, wait));
  }

  async function onTimer(topologyId: string): Promise<void> {
    const trial = state.trial;
    if (!trial || trial.topologyId !== topologyId) return;
    if (trial.phase === 'awaiting-confirm') {
      // A timer may fire early when the wall clock was set back; wait for the rest.
      if (clock.now() < trial.deadlineAt) return arm();
      await rollBack(trial, missedDeadline(trial));
    } else {
      await rollBack(trial, trial.reason ?? `the agent stopped while applying topology ${trial.topologyId}`);
    }
  }

  /** Puts back the last confirmed configuration; if that fails too, says so and tries again later. */
  async function rollBack(trial: Trial, reason: string): Promise<DeployStatus> {
    disarm();
    try {
      await backend.restore(trial.revertTo);
    } catch (error) {
      state.trial = { ...trial, phase: 'rolling-back', reason };
      const status = setStatus({
        state: 'failed',
        topologyId: trial.topologyId,
        reason: `${reason}; restoring the previous configuration failed too (${message(error)}), will retry`,
      });
      await save();
      arm();
      return status;
    }
    state.trial = undefined;
    state.running = trial.revertToTopologyId;
    const back = trial.revertToTopologyId === undefined ? 'the configuration from before Raincoat' : `topology ${trial.revertToTopologyId}`;
    const status = setStatus({ state: 'failed', topologyId: trial.topologyId, reason: `${reason}; reverted to ${back}` });
    await save();
    return status;
  }

  async function fail(topologyId: string, reason: string): Promise<ReceiveOutcome> {
    const status = setStatus({ state: 'failed', topologyId, reason });
    await save();
    return { result: 'failed', status, reason };
  }

  const refuse = (reason: string): ReceiveOutcome => ({ result: 'refused', status: state.status, reason });

  async function receive(pkg: DeployPackage): Promise<ReceiveOutcome> {
    requireStarted();
    if (!(await verifyDeployDigest(pkg))) return refuse('digest mismatch: the package was altered or damaged on its way');
    const future = fromTheFuture(pkg, clock.now());
    if (future) return refuse(future);
    const latest = state.latest;
    if (latest?.topologyId === pkg.topologyId) {
      if (latest.digest === pkg.digest) return { result: 'unchanged', status: state.status };
      return refuse(`topology ${pkg.topologyId} is already known here with another digest`);
    }
    if (latest && Date.parse(pkg.createdAt) < Date.parse(latest.createdAt)) {
      return refuse(`stale: older than topology ${latest.topologyId}, which this node already has`);
    }
    state.latest = { topologyId: pkg.topologyId, digest: pkg.digest, createdAt: pkg.createdAt };

    if (pkg.removed.nodes.includes(me)) return removeSelf(pkg.topologyId);
    const node = pkg.nodes[me];
    if (!node) return fail(pkg.topologyId, `the package has no part for ${me}`);
    if (!backend.accepts(node.backend)) {
      return fail(pkg.topologyId, `the package renders ${me} for the ${node.backend} backend, but this agent runs ${backend.name}`);
    }
    let resolved;
    try {
      resolved = await resolvePart(pkg.topologyId, me, node, options.openingKey);
    } catch (error) {
      return fail(pkg.topologyId, message(error));
    }
    const tunnels = pkg.removed.tunnels.filter((t) => rootNodeName(t.a) === me || rootNodeName(t.b) === me).map((t) => tunnelName(t.a, t.b));

    if (state.trial && state.trial.phase !== 'awaiting-confirm') {
      // A rollback is still owed: the way back must be clear before anything new goes on.
      await rollBack(state.trial, state.trial.reason ?? `an earlier deploy of topology ${state.trial.topologyId} was interrupted`);
      if (state.trial) return fail(pkg.topologyId, `not applied: ${state.status.reason ?? 'an earlier rollback is still pending'}`);
    }
    setStatus({ state: 'deploying', topologyId: pkg.topologyId });
    await save();

    // An unconfirmed deploy in effect is superseded, but the way back stays the last confirmed configuration.
    let revertTo = state.trial?.revertTo;
    const revertToTopologyId = state.trial ? state.trial.revertToTopologyId : state.running;
    if (!revertTo) {
      try {
        revertTo = await backend.backup();
      } catch (error) {
        return fail(pkg.topologyId, `could not back up the running configuration: ${message(error)}`);
      }
    }
    disarm();
    const trial: Trial = {
      topologyId: pkg.topologyId,
      phase: 'applying',
      deadlineAt: clock.now() + pkg.deadlineMs,
      revertTo,
      ...(revertToTopologyId === undefined ? {} : { revertToTopologyId }),
    };
    state.trial = trial;
    await save();

    try {
      await backend.apply(resolved.part);
      if (tunnels.length > 0) await backend.teardownTunnels(tunnels);
    } catch (error) {
      const status = await rollBack(trial, `apply failed: ${redactSecrets(message(error), resolved.secretValues)}`);
      return { result: 'failed', status, ...(status.reason === undefined ? {} : { reason: status.reason }) };
    }

    state.running = pkg.topologyId;
    if (state.earlyConfirms.includes(pkg.topologyId)) {
      state.earlyConfirms = state.earlyConfirms.filter((id) => id !== pkg.topologyId);
      state.trial = undefined;
      state.confirmed = pkg.topologyId;
      const status = setStatus({ state: 'deployed', topologyId: pkg.topologyId });
      await save();
      return { result: 'deployed', status };
    }
    // The window opens when the configuration is in effect, as with VyOS's commit-confirm.
    state.trial = { ...trial, phase: 'awaiting-confirm', deadlineAt: clock.now() + pkg.deadlineMs };
    const status = setStatus({ state: 'awaiting-confirm', topologyId: pkg.topologyId, deadlineAt: state.trial.deadlineAt });
    await save();
    arm();
    return { result: 'awaiting-confirm', status };
  }

  /**
   * The node has left the overlay. This takes effect at once, without waiting for a confirmation: once torn
   * down the node is cut off from the overlay, so no confirmation could reach it.
   */
  async function removeSelf(topologyId: string): Promise<ReceiveOutcome> {
    setStatus({ state: 'deploying', topologyId });
    await save();
    let backup;
    try {
      backup = await backend.backup();
    } catch (error) {
      return fail(topologyId, `could not back up the running configuration: ${message(error)}`);
    }
    try {
      await backend.teardownAll();
    } catch (error) {
      const reason = `teardown failed: ${message(error)}`;
      try {
        await backend.restore(backup);
      } catch (restoreError) {
        return fail(topologyId, `${reason}; restoring the previous configuration failed too (${message(restoreError)})`);
      }
      return fail(topologyId, `${reason}; restored the previous configuration`);
    }
    disarm();
    state.trial = undefined;
    state.running = undefined;
    state.confirmed = undefined;
    const status = setStatus({ state: 'removed', topologyId });
    await save();
    return { result: 'removed', status };
  }

  async function confirm(topologyId: string): Promise<ConfirmOutcome> {
    requireStarted();
    const trial = state.trial;
    if (trial?.topologyId === topologyId && trial.phase === 'awaiting-confirm') {
      disarm();
      state.trial = undefined;
      state.confirmed = topologyId;
      const status = setStatus({ state: 'deployed', topologyId });
      await save();
      return { result: 'confirmed', status };
    }
    if (!trial && state.confirmed === topologyId) return { result: 'already-confirmed', status: state.status };
    if (state.latest?.topologyId === topologyId || trial?.topologyId === topologyId) {
      const reason = `topology ${topologyId} is not awaiting confirmation here (${state.status.state})`;
      return { result: 'ignored', status: state.status, reason };
    }
    if (!state.earlyConfirms.includes(topologyId)) {
      state.earlyConfirms = [...state.earlyConfirms, topologyId].slice(-8);
      await save();
    }
    return { result: 'remembered', status: state.status };
  }

  async function start(): Promise<{ status: DeployStatus; problem?: string }> {
    const read = await options.store.load();
    let problem: string | undefined;
    if (read.kind === 'ok') state = read.value;
    else if (read.kind === 'corrupt') {
      problem = `the deploy state file was corrupt (${read.reason}); kept it as ${read.keptAs} and started afresh`;
      setStatus({ state: 'failed', reason: problem });
      await save();
    }
    started = true;
    const trial = state.trial;
    if (trial && (trial.phase !== 'awaiting-confirm' || clock.now() >= trial.deadlineAt)) {
      // Rolling back also brings the daemons up on what it restores.
      await rollBack(trial, trial.phase === 'awaiting-confirm' ? missedDeadline(trial) : (trial.reason ?? `the agent stopped while applying topology ${trial.topologyId}`));
      return { status: state.status, ...(problem === undefined ? {} : { problem }) };
    }
    if (trial) arm();
    else if (state.status.state === 'deploying') {
      setStatus({ state: 'failed', ...optionalTopology(state.status.topologyId), reason: 'the agent stopped while deploying' });
      await save();
    }
    try {
      await backend.resume();
    } catch (error) {
      setStatus({ state: 'failed', ...optionalTopology(state.running), reason: `could not bring the configuration up after the agent started: ${message(error)}` });
      await save();
    }
    return { status: state.status, ...(problem === undefined ? {} : { problem }) };
  }

  return {
    start: () => serial(start),
    receive: (pkg) => serial(() => receive(pkg)),
    confirm: (topologyId) => serial(() => confirm(topologyId)),
    status: () => state.status,
    // `latest` names one digest per topology id (another digest under that id is refused), so when the running topology
    // is the latest its digest is known; after a rollback to an older topology it is not, and nothing is claimed.
    runningDigest: () => (state.running !== undefined && state.latest?.topologyId === state.running ? state.latest.digest : undefined),
    settled: () => serial(async () => undefined),
    stop: disarm,
  };
}

function missedDeadline(trial: Trial): string {
  return `no confirm_deploy for topology ${trial.topologyId} arrived before the deadline (${new Date(trial.deadlineAt).toISOString()})`;
}

function optionalTopology(topologyId: string | undefined): { topologyId?: string } {
  return topologyId === undefined ? {} : { topologyId };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
