// One node's deploy decisions as a pure state machine: the state and an event in (a package to deploy, a confirmation,
// the confirmation deadline, the agent's start, or what the backend answered), the new state and what to do out.
import { rootNodeName, tunnelName } from '../../src-shared/plan/nodeNames.ts';
import type { DeployBackend, DeployPackage, NodePart } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import type { JsonFileRead } from '../../src-node/jsonStateFile.ts';
import type { Backup, ResolvedPart } from '../backends/types.ts';
import { heldOf } from './acceptPackage.ts';
import type { DeployState, Trial } from './deployState.ts';
import { redactSecrets, type ResolvedNodePart } from './resolvePart.ts';

export interface DeployConfig {
  /** This node's name in the package (`root-<id>`, `leaf-<root>-<n>`). */
  self: string;
  backendName: DeployBackend;
  /** Whether this node's backend can apply a part rendered for `backend`. */
  accepts(backend: DeployBackend): boolean;
  /** How long to wait before trying a failed rollback again. */
  rollbackRetryMs: number;
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

export interface StartOutcome {
  status: DeployStatus;
  problem?: string;
}

export type DeployEvent =
  | { kind: 'start'; read: JsonFileRead<DeployState> }
  /** A package the acceptance rules took as new. */
  | { kind: 'receive'; pkg: DeployPackage }
  | { kind: 'confirm'; topologyId: string }
  | { kind: 'timer'; topologyId: string }
  /** What the work asked for came to: */
  | { kind: 'opened'; resolved: ResolvedNodePart }
  | { kind: 'backed-up'; backup: Backup }
  | { kind: 'worked' }
  | { kind: 'work-failed'; message: string };

/** Done at once, in order, before any work: telling the status, saving the state, setting or cancelling the timer. */
export type DeployEffect =
  | { type: 'status'; status: DeployStatus }
  | { type: 'save'; state: DeployState }
  /** (Re)sets the one timer: when it fires, a `timer` event for `topologyId`. */
  | { type: 'arm'; topologyId: string; ms: number }
  | { type: 'disarm' };

/** What takes time (the backend, opening secrets); its answer is the next event. */
export type DeployWork =
  | { type: 'open'; topologyId: string; part: NodePart }
  | { type: 'backup' }
  /** Applies the part, then ends the named tunnels if there are any. */
  | { type: 'apply'; part: ResolvedPart; tunnels: string[] }
  | { type: 'restore'; backup: Backup }
  | { type: 'teardownAll' }
  | { type: 'resume' };

export type DeployDone =
  | { to: 'receive'; outcome: ReceiveOutcome }
  | { to: 'confirm'; outcome: ConfirmOutcome }
  | { to: 'start'; outcome: StartOutcome }
  | { to: 'timer' };

/** Where an operation stands while the backend works: what its answer leads to. */
type Operation =
  | { kind: 'open'; pkg: DeployPackage }
  | { kind: 'backup'; pkg: DeployPackage; resolved: ResolvedNodePart; tunnels: string[]; revertToTopologyId: string | undefined }
  | { kind: 'apply'; pkg: DeployPackage; trial: Trial; secretValues: string[] }
  | { kind: 'rollback'; trial: Trial; reason: string; then: AfterRollback }
  | { kind: 'remove-backup'; topologyId: string }
  | { kind: 'remove'; topologyId: string; backup: Backup }
  | { kind: 'remove-restore'; topologyId: string; reason: string }
  | { kind: 'resume'; problem: string | undefined };

type AfterRollback =
  /** The apply failed: answer with how the rollback went. */
  | { to: 'receive' }
  /** An earlier deploy's rollback was owed: once the way back is clear, deploy this one. */
  | { to: 'deploy'; pkg: DeployPackage; resolved: ResolvedNodePart; tunnels: string[] }
  | { to: 'timer' }
  | { to: 'start'; problem: string | undefined };

export interface EngineState {
  /** What is on disk (once saved). */
  saved: DeployState;
  /** The operation under way while the backend works. */
  op?: Operation;
}

/** Either work to do (its answer is the next event), or the operation is done. */
export type DeployStep = { state: EngineState; effects: DeployEffect[] } & ({ work: DeployWork; done?: never } | { done: DeployDone; work?: never });

export function initialDeployState(now: number): DeployState {
  return { version: 1, earlyConfirms: [], status: { state: 'idle', at: now } };
}

/** Applies one event. The input state is not modified. */
export function deployStep(config: DeployConfig, input: EngineState, event: DeployEvent, now: number): DeployStep {
  const me = config.self;
  let state = input.saved;
  const effects: DeployEffect[] = [];

  const update = (change: Partial<DeployState>) => {
    state = { ...state, ...change };
  };
  const setStatus = (next: Omit<DeployStatus, 'at' | 'runningTopologyId'>): DeployStatus => {
    const status = { ...next, ...(state.running === undefined ? {} : { runningTopologyId: state.running }), at: now };
    update({ status });
    effects.push({ type: 'status', status });
    return status;
  };
  const save = () => effects.push({ type: 'save', state });
  const arm = () => {
    const trial = state.trial;
    if (!trial || trial.phase === 'applying') {
      effects.push({ type: 'disarm' });
      return;
    }
    const wait = trial.phase === 'awaiting-confirm' ? trial.deadlineAt - now : config.rollbackRetryMs;
    effects.push({ type: 'arm', topologyId: trial.topologyId, ms: Math.max(0, wait) });
  };
  const next = (op: Operation, work: DeployWork): DeployStep => ({ state: { saved: state, op }, effects, work });
  const finish = (done: DeployDone): DeployStep => ({ state: { saved: state }, effects, done });
  const received = (outcome: ReceiveOutcome) => finish({ to: 'receive', outcome });
  const confirmed = (outcome: ConfirmOutcome) => finish({ to: 'confirm', outcome });

  const fail = (topologyId: string, reason: string): DeployStep => {
    const status = setStatus({ state: 'failed', topologyId, reason });
    save();
    return received({ result: 'failed', status, reason });
  };

  /** Puts back the last confirmed configuration; if that fails too, says so and tries again later. */
  const rollBack = (trial: Trial, reason: string, then: AfterRollback): DeployStep => {
    effects.push({ type: 'disarm' });
    return next({ kind: 'rollback', trial, reason, then }, { type: 'restore', backup: trial.revertTo });
  };

  const afterRollback = (then: AfterRollback): DeployStep => {
    switch (then.to) {
      case 'receive': {
        const status = state.status;
        return received({ result: 'failed', status, ...(status.reason === undefined ? {} : { reason: status.reason }) });
      }
      case 'deploy':
        if (state.trial) return fail(then.pkg.topologyId, `not applied: ${state.status.reason ?? 'an earlier rollback is still pending'}`);
        return deploy(then.pkg, then.resolved, then.tunnels);
      case 'timer':
        return finish({ to: 'timer' });
      case 'start':
        return finish({ to: 'start', outcome: { status: state.status, ...(then.problem === undefined ? {} : { problem: then.problem }) } });
    }
  };

  const receive = (pkg: DeployPackage): DeployStep => {
    update({ latest: heldOf(pkg) });
    if (pkg.removed.nodes.includes(me)) {
      // The node leaves the overlay. This takes effect at once, without waiting for a confirmation: once torn down
      // the node is cut off from the overlay, so no confirmation could reach it.
      setStatus({ state: 'deploying', topologyId: pkg.topologyId });
      save();
      return next({ kind: 'remove-backup', topologyId: pkg.topologyId }, { type: 'backup' });
    }
    const node = pkg.nodes[me];
    if (!node) return fail(pkg.topologyId, `the package has no part for ${me}`);
    if (!config.accepts(node.backend)) {
      return fail(pkg.topologyId, `the package renders ${me} for the ${node.backend} backend, but this agent runs ${config.backendName}`);
    }
    return next({ kind: 'open', pkg }, { type: 'open', topologyId: pkg.topologyId, part: node });
  };

  const opened = (pkg: DeployPackage, resolved: ResolvedNodePart): DeployStep => {
    const tunnels = pkg.removed.tunnels.filter((t) => rootNodeName(t.a) === me || rootNodeName(t.b) === me).map((t) => tunnelName(t.a, t.b));
    const trial = state.trial;
    if (trial && trial.phase !== 'awaiting-confirm') {
      // A rollback is still owed: the way back must be clear before anything new goes on.
      return rollBack(trial, trial.reason ?? `an earlier deploy of topology ${trial.topologyId} was interrupted`, { to: 'deploy', pkg, resolved, tunnels });
    }
    return deploy(pkg, resolved, tunnels);
  };

  const deploy = (pkg: DeployPackage, resolved: ResolvedNodePart, tunnels: string[]): DeployStep => {
    setStatus({ state: 'deploying', topologyId: pkg.topologyId });
    save();
    // An unconfirmed deploy in effect is superseded, but the way back stays the last confirmed configuration.
    const revertTo = state.trial?.revertTo;
    const revertToTopologyId = state.trial ? state.trial.revertToTopologyId : state.running;
    if (!revertTo) return next({ kind: 'backup', pkg, resolved, tunnels, revertToTopologyId }, { type: 'backup' });
    return apply(pkg, resolved, tunnels, revertTo, revertToTopologyId);
  };

  const apply = (pkg: DeployPackage, resolved: ResolvedNodePart, tunnels: string[], revertTo: Backup, revertToTopologyId: string | undefined): DeployStep => {
    effects.push({ type: 'disarm' });
    const trial: Trial = {
      topologyId: pkg.topologyId,
      phase: 'applying',
      deadlineAt: now + pkg.deadlineMs,
      revertTo,
      ...(revertToTopologyId === undefined ? {} : { revertToTopologyId }),
    };
    update({ trial });
    save();
    return next({ kind: 'apply', pkg, trial, secretValues: resolved.secretValues }, { type: 'apply', part: resolved.part, tunnels });
  };

  const applied = (pkg: DeployPackage, trial: Trial): DeployStep => {
    const topologyId = pkg.topologyId;
    update({ running: topologyId });
    if (state.earlyConfirms.includes(topologyId)) {
      update({ earlyConfirms: state.earlyConfirms.filter((id) => id !== topologyId), trial: undefined, confirmed: topologyId });
      const status = setStatus({ state: 'deployed', topologyId });
      save();
      return received({ result: 'deployed', status });
    }
    // The window opens when the configuration is in effect, as with VyOS's commit-confirm.
    const waiting: Trial = { ...trial, phase: 'awaiting-confirm', deadlineAt: now + pkg.deadlineMs };
    update({ trial: waiting });
    const status = setStatus({ state: 'awaiting-confirm', topologyId, deadlineAt: waiting.deadlineAt });
    save();
    arm();
    return received({ result: 'awaiting-confirm', status });
  };

  const confirm = (topologyId: string): DeployStep => {
    const trial = state.trial;
    if (trial?.topologyId === topologyId && trial.phase === 'awaiting-confirm') {
      effects.push({ type: 'disarm' });
      update({ trial: undefined, confirmed: topologyId });
      const status = setStatus({ state: 'deployed', topologyId });
      save();
      return confirmed({ result: 'confirmed', status });
    }
    if (!trial && state.confirmed === topologyId) return confirmed({ result: 'already-confirmed', status: state.status });
    if (state.latest?.topologyId === topologyId || trial?.topologyId === topologyId) {
      return confirmed({ result: 'ignored', status: state.status, reason: `topology ${topologyId} is not awaiting confirmation here (${state.status.state})` });
    }
    if (!state.earlyConfirms.includes(topologyId)) {
      update({ earlyConfirms: [...state.earlyConfirms, topologyId].slice(-8) });
      save();
    }
    return confirmed({ result: 'remembered', status: state.status });
  };

  const timer = (topologyId: string): DeployStep => {
    const trial = state.trial;
    if (!trial || trial.topologyId !== topologyId) return finish({ to: 'timer' });
    if (trial.phase !== 'awaiting-confirm') return rollBack(trial, trial.reason ?? stoppedWhileApplying(trial), { to: 'timer' });
    if (now >= trial.deadlineAt) return rollBack(trial, missedDeadline(trial), { to: 'timer' });
    // A timer may fire early when the wall clock was set back; wait for the rest.
    arm();
    return finish({ to: 'timer' });
  };

  const start = (read: JsonFileRead<DeployState>): DeployStep => {
    let problem: string | undefined;
    if (read.kind === 'ok') state = read.value;
    else if (read.kind === 'corrupt') {
      problem = `the deploy state file was corrupt (${read.reason}); kept it as ${read.keptAs} and started afresh`;
      setStatus({ state: 'failed', reason: problem });
      save();
    }
    const trial = state.trial;
    if (trial && (trial.phase !== 'awaiting-confirm' || now >= trial.deadlineAt)) {
      // Rolling back also brings the daemons up on what it restores.
      const reason = trial.phase === 'awaiting-confirm' ? missedDeadline(trial) : (trial.reason ?? stoppedWhileApplying(trial));
      return rollBack(trial, reason, { to: 'start', problem });
    }
    if (trial) arm();
    else if (state.status.state === 'deploying') {
      setStatus({ state: 'failed', ...optionalTopology(state.status.topologyId), reason: 'the agent stopped while deploying' });
      save();
    }
    return next({ kind: 'resume', problem }, { type: 'resume' });
  };

  /** The operation under way goes on with what its work came to. */
  const resumeOperation = (op: Operation, result: Extract<DeployEvent, { kind: 'opened' | 'backed-up' | 'worked' | 'work-failed' }>): DeployStep => {
    const failed = result.kind === 'work-failed' ? result.message : undefined;
    switch (op.kind) {
      case 'open':
        if (failed !== undefined) return fail(op.pkg.topologyId, failed);
        return opened(op.pkg, answerOf(result, 'opened').resolved);
      case 'backup':
        if (failed !== undefined) return fail(op.pkg.topologyId, `could not back up the running configuration: ${failed}`);
        return apply(op.pkg, op.resolved, op.tunnels, answerOf(result, 'backed-up').backup, op.revertToTopologyId);
      case 'apply':
        if (failed !== undefined) return rollBack(op.trial, `apply failed: ${redactSecrets(failed, op.secretValues)}`, { to: 'receive' });
        answerOf(result, 'worked');
        return applied(op.pkg, op.trial);
      case 'rollback': {
        const { trial, reason } = op;
        if (failed !== undefined) {
          update({ trial: { ...trial, phase: 'rolling-back', reason } });
          setStatus({ state: 'failed', topologyId: trial.topologyId, reason: `${reason}; restoring the previous configuration failed too (${failed}), will retry` });
          save();
          arm();
          return afterRollback(op.then);
        }
        answerOf(result, 'worked');
        update({ trial: undefined, running: trial.revertToTopologyId });
        const back = trial.revertToTopologyId === undefined ? 'the configuration from before Raincoat' : `topology ${trial.revertToTopologyId}`;
        setStatus({ state: 'failed', topologyId: trial.topologyId, reason: `${reason}; reverted to ${back}` });
        save();
        return afterRollback(op.then);
      }
      case 'remove-backup':
        if (failed !== undefined) return fail(op.topologyId, `could not back up the running configuration: ${failed}`);
        return next({ kind: 'remove', topologyId: op.topologyId, backup: answerOf(result, 'backed-up').backup }, { type: 'teardownAll' });
      case 'remove': {
        if (failed !== undefined) return next({ kind: 'remove-restore', topologyId: op.topologyId, reason: `teardown failed: ${failed}` }, { type: 'restore', backup: op.backup });
        answerOf(result, 'worked');
        effects.push({ type: 'disarm' });
        update({ trial: undefined, running: undefined, confirmed: undefined });
        const status = setStatus({ state: 'removed', topologyId: op.topologyId });
        save();
        return received({ result: 'removed', status });
      }
      case 'remove-restore':
        if (failed !== undefined) return fail(op.topologyId, `${op.reason}; restoring the previous configuration failed too (${failed})`);
        answerOf(result, 'worked');
        return fail(op.topologyId, `${op.reason}; restored the previous configuration`);
      case 'resume':
        if (failed !== undefined) {
          setStatus({ state: 'failed', ...optionalTopology(state.running), reason: `could not bring the configuration up after the agent started: ${failed}` });
          save();
        } else answerOf(result, 'worked');
        return finish({ to: 'start', outcome: { status: state.status, ...(op.problem === undefined ? {} : { problem: op.problem }) } });
    }
  };

  switch (event.kind) {
    case 'start':
      return start(event.read);
    case 'receive':
      return receive(event.pkg);
    case 'confirm':
      return confirm(event.topologyId);
    case 'timer':
      return timer(event.topologyId);
    default:
      if (!input.op) throw new Error(`deploy step: "${event.kind}" with no work under way`);
      return resumeOperation(input.op, event);
  }
}

/** The answer of the kind the work in progress gives; any other is a bug in the shell that ran it. */
function answerOf<K extends DeployEvent['kind']>(event: DeployEvent, kind: K): Extract<DeployEvent, { kind: K }> {
  if (event.kind !== kind) throw new Error(`deploy step: expected "${kind}", got "${event.kind}"`);
  return event as Extract<DeployEvent, { kind: K }>;
}

function missedDeadline(trial: Trial): string {
  return `no confirm_deploy for topology ${trial.topologyId} arrived before the deadline (${new Date(trial.deadlineAt).toISOString()})`;
}

function stoppedWhileApplying(trial: Trial): string {
  return `the agent stopped while applying topology ${trial.topologyId}`;
}

function optionalTopology(topologyId: string | undefined): { topologyId?: string } {
  return topologyId === undefined ? {} : { topologyId };
}
