// One node's deploy decisions as a pure state machine: the state and an event in (a package to deploy, a confirmation,
// the confirmation deadline, the agent's start, or what the backend answered), the new state and what to do out.
import { rootNodeName, tunnelName } from '../../src-shared/plan/nodeNames.ts';
import type { DeployBackend, DeployPackage, NodePart } from '../../src-shared/protocol/deployPackage.ts';
import type { ConfirmAnswer, DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import type { JsonFileRead } from '../../src-node/jsonStateFile.ts';
import type { ResolvedPart } from '../backends/types.ts';
import { heldOf } from './acceptPackage.ts';
import { DEPLOY_STATE_VERSION, type DeployState, type RunningPackage, type Trial } from './deployState.ts';
import type { PartDigest } from './partDigest.ts';
import { redactSecrets, type ResolvedNodePart } from './resolvePart.ts';
import type { SealedBackup } from './sealedBackup.ts';

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

/** What a confirmation came to: the confirm route's answer (`remembered`: for a deploy not seen yet, applied when its package arrives). */
export type ConfirmOutcome = ConfirmAnswer;

export interface StartOutcome {
  status: DeployStatus;
  problem?: string;
}

/** A node's part with its secrets open, and the digest of it as this node's backend would put it in effect. */
export interface OpenedPart extends ResolvedNodePart {
  digest: PartDigest;
}

export type DeployEvent =
  | { kind: 'start'; read: JsonFileRead<DeployState> }
  /** A package the acceptance rules took as new. */
  | { kind: 'receive'; pkg: DeployPackage }
  | { kind: 'confirm'; topologyId: string }
  | { kind: 'timer'; topologyId: string }
  /** What the work asked for came to: */
  | { kind: 'opened'; resolved: OpenedPart }
  | { kind: 'backed-up'; backup: SealedBackup }
  | { kind: 'worked' }
  | { kind: 'work-failed'; message: string };

/** Done at once, in order, before any work: telling the status, saving the state, setting or cancelling the timer. */
export type DeployEffect =
  | { type: 'status'; status: DeployStatus }
  | { type: 'save'; state: DeployState }
  /** (Re)sets the one timer: when it fires, a `timer` event for `topologyId`. */
  | { type: 'arm'; topologyId: string; ms: number }
  | { type: 'disarm' };

/** What takes time (the backend, opening secrets); its answer is the next event. A backup is sealed, for the state file. */
export type DeployWork =
  | { type: 'open'; topologyId: string; part: NodePart }
  | { type: 'backup' }
  /** Applies the part, then ends the named tunnels if there are any. */
  | { type: 'apply'; part: ResolvedPart; tunnels: string[] }
  | { type: 'restore'; backup: SealedBackup }
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
  | { kind: 'backup'; pkg: DeployPackage; resolved: OpenedPart; tunnels: string[]; revertToPackage: RunningPackage | undefined }
  | { kind: 'apply'; pkg: DeployPackage; trial: Trial; secretValues: string[]; partDigest: PartDigest }
  | { kind: 'rollback'; trial: Trial; reason: string; then: AfterRollback }
  | { kind: 'remove-backup'; topologyId: string }
  | { kind: 'remove'; topologyId: string; backup: SealedBackup }
  | { kind: 'remove-restore'; topologyId: string; reason: string }
  | { kind: 'resume'; problem: string | undefined };

type AfterRollback =
  /** The apply failed: answer with how the rollback went. */
  | { to: 'receive' }
  /** An earlier deploy's rollback was owed: once the way back is clear, deploy this one. */
  | { to: 'deploy'; pkg: DeployPackage; resolved: OpenedPart; tunnels: string[] }
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
  return { version: DEPLOY_STATE_VERSION, earlyConfirms: [], status: { state: 'idle', at: now } };
}

/** Applies one event. The input state is not modified. */
export function deployStep(config: DeployConfig, input: EngineState, event: DeployEvent, now: number): DeployStep {
  const t = new Transition(config, input.saved, now);
  switch (event.kind) {
    case 'start':
      return start(t, event.read);
    case 'receive':
      return receive(t, event.pkg);
    case 'confirm':
      return confirm(t, event.topologyId);
    case 'timer':
      return timer(t, event.topologyId);
    default:
      if (!input.op) throw new Error(`deploy step: "${event.kind}" with no work under way`);
      return resumeOperation(t, input.op, event);
  }
}

/** One step being made: the state as it changes and the effects so far, ended by work to do or by an outcome. */
class Transition {
  readonly effects: DeployEffect[] = [];
  readonly config: DeployConfig;
  state: DeployState;
  readonly now: number;

  constructor(config: DeployConfig, state: DeployState, now: number) {
    this.config = config;
    this.state = state;
    this.now = now;
  }

  update(change: Partial<DeployState>): void {
    this.state = { ...this.state, ...change };
  }

  setStatus(next: Omit<DeployStatus, 'at' | 'runningTopologyId'>): DeployStatus {
    const running = this.state.running;
    const status = { ...next, ...(running === undefined ? {} : { runningTopologyId: running.topologyId }), at: this.now };
    this.update({ status });
    this.effects.push({ type: 'status', status });
    return status;
  }

  save(): void {
    this.effects.push({ type: 'save', state: this.state });
  }

  disarm(): void {
    this.effects.push({ type: 'disarm' });
  }

  /** Sets the timer for what the pending deploy waits for: its deadline, or the next try of its rollback. */
  arm(): void {
    const trial = this.state.trial;
    if (!trial || trial.phase === 'applying') return this.disarm();
    const wait = trial.phase === 'awaiting-confirm' ? trial.deadlineAt - this.now : this.config.rollbackRetryMs;
    this.effects.push({ type: 'arm', topologyId: trial.topologyId, ms: Math.max(0, wait) });
  }

  next(op: Operation, work: DeployWork): DeployStep {
    return { state: { saved: this.state, op }, effects: this.effects, work };
  }

  finish(done: DeployDone): DeployStep {
    return { state: { saved: this.state }, effects: this.effects, done };
  }

  received(outcome: ReceiveOutcome): DeployStep {
    return this.finish({ to: 'receive', outcome });
  }

  fail(topologyId: string, reason: string): DeployStep {
    const status = this.setStatus({ state: 'failed', topologyId, reason });
    this.save();
    return this.received({ result: 'failed', status, reason });
  }
}

function receive(t: Transition, pkg: DeployPackage): DeployStep {
  const me = t.config.self;
  t.update({ latest: heldOf(pkg) });
  if (pkg.removed.nodes.includes(me)) {
    // The node leaves the overlay. This takes effect at once, without waiting for a confirmation: once torn down
    // the node is cut off from the overlay, so no confirmation could reach it.
    t.setStatus({ state: 'deploying', topologyId: pkg.topologyId });
    t.save();
    return t.next({ kind: 'remove-backup', topologyId: pkg.topologyId }, { type: 'backup' });
  }
  const node = pkg.nodes[me];
  if (!node) return t.fail(pkg.topologyId, `the package has no part for ${me}`);
  if (!t.config.accepts(node.backend)) {
    return t.fail(pkg.topologyId, `the package renders ${me} for the ${node.backend} backend, but this agent runs ${t.config.backendName}`);
  }
  return t.next({ kind: 'open', pkg }, { type: 'open', topologyId: pkg.topologyId, part: node });
}

/** The secrets are open: clear the way back if a rollback is owed, then deploy. */
function opened(t: Transition, pkg: DeployPackage, resolved: OpenedPart): DeployStep {
  const me = t.config.self;
  const tunnels = pkg.removed.tunnels.filter((e) => rootNodeName(e.a) === me || rootNodeName(e.b) === me).map((e) => tunnelName(e.a, e.b));
  const trial = t.state.trial;
  if (trial && trial.phase !== 'awaiting-confirm') {
    // A rollback is still owed: the way back must be clear before anything new goes on.
    return rollBack(t, trial, trial.reason ?? `an earlier deploy of topology ${trial.topologyId} was interrupted`, { to: 'deploy', pkg, resolved, tunnels });
  }
  return deploy(t, pkg, resolved, tunnels);
}

function deploy(t: Transition, pkg: DeployPackage, resolved: OpenedPart, tunnels: string[]): DeployStep {
  // Said also when nothing is to change: the neighbours follow the package from this status on (topologyNeighbours.ts).
  t.setStatus({ state: 'deploying', topologyId: pkg.topologyId });
  // An unconfirmed deploy in effect is superseded, but the way back stays the last confirmed configuration.
  const revertTo = t.state.trial?.revertTo;
  const revertToPackage = t.state.trial ? t.state.trial.revertToPackage : t.state.running;
  if (tunnels.length === 0 && resolved.digest === t.state.running?.partDigest) {
    // This node's part is the one in effect: nothing to back up or apply, yet the deploy is confirmed or reverted with the
    // others. The way back is the one kept, if any: none when every deploy since the last confirmed one changed nothing.
    // A tunnel to end is a change of its own, even with the files already without it: that package is applied.
    t.disarm();
    return applied(t, pkg, trialOf(t, pkg, revertTo, revertToPackage), resolved.digest);
  }
  t.save();
  if (!revertTo) return t.next({ kind: 'backup', pkg, resolved, tunnels, revertToPackage }, { type: 'backup' });
  return apply(t, pkg, resolved, tunnels, revertTo, revertToPackage);
}

/** The trial of `pkg`, applying until its configuration is in effect. */
function trialOf(t: Transition, pkg: DeployPackage, revertTo: SealedBackup | undefined, revertToPackage: RunningPackage | undefined): Trial {
  return {
    topologyId: pkg.topologyId,
    phase: 'applying',
    deadlineAt: t.now + pkg.deadlineMs,
    ...(revertTo === undefined ? {} : { revertTo }),
    ...(revertToPackage === undefined ? {} : { revertToPackage }),
  };
}

function apply(t: Transition, pkg: DeployPackage, resolved: OpenedPart, tunnels: string[], revertTo: SealedBackup, revertToPackage: RunningPackage | undefined): DeployStep {
  t.disarm();
  const trial = trialOf(t, pkg, revertTo, revertToPackage);
  t.update({ trial });
  t.save();
  return t.next({ kind: 'apply', pkg, trial, secretValues: resolved.secretValues, partDigest: resolved.digest }, { type: 'apply', part: resolved.part, tunnels });
}

/** The configuration is in effect: deployed if its confirmation came first, else awaiting it. */
function applied(t: Transition, pkg: DeployPackage, trial: Trial, partDigest: PartDigest): DeployStep {
  const topologyId = pkg.topologyId;
  t.update({ running: { topologyId, digest: pkg.digest, partDigest } });
  if (t.state.earlyConfirms.includes(topologyId)) {
    t.update({ earlyConfirms: t.state.earlyConfirms.filter((id) => id !== topologyId), trial: undefined, confirmed: topologyId });
    const status = t.setStatus({ state: 'deployed', topologyId });
    t.save();
    return t.received({ result: 'deployed', status });
  }
  // The window opens when the configuration is in effect, as with VyOS's commit-confirm.
  const waiting: Trial = { ...trial, phase: 'awaiting-confirm', deadlineAt: t.now + pkg.deadlineMs };
  t.update({ trial: waiting });
  const status = t.setStatus({ state: 'awaiting-confirm', topologyId, deadlineAt: waiting.deadlineAt });
  t.save();
  t.arm();
  return t.received({ result: 'awaiting-confirm', status });
}

/** Puts back the last confirmed configuration (if the deploy changed any); if that fails too, says so and tries again later. */
function rollBack(t: Transition, trial: Trial, reason: string, then: AfterRollback): DeployStep {
  t.disarm();
  const op: Operation = { kind: 'rollback', trial, reason, then };
  if (!trial.revertTo) return rolledBack(t, op, undefined);
  return t.next(op, { type: 'restore', backup: trial.revertTo });
}

function rolledBack(t: Transition, op: Extract<Operation, { kind: 'rollback' }>, failed: string | undefined): DeployStep {
  const { trial, reason } = op;
  if (failed !== undefined) {
    t.update({ trial: { ...trial, phase: 'rolling-back', reason } });
    t.setStatus({ state: 'failed', topologyId: trial.topologyId, reason: `${reason}; restoring the previous configuration failed too (${failed}), will retry` });
    t.save();
    t.arm();
  } else {
    t.update({ trial: undefined, running: trial.revertToPackage });
    const back = trial.revertToPackage === undefined ? 'the configuration from before Raincoat' : `topology ${trial.revertToPackage.topologyId}`;
    t.setStatus({ state: 'failed', topologyId: trial.topologyId, reason: `${reason}; reverted to ${back}` });
    t.save();
  }
  const then = op.then;
  switch (then.to) {
    case 'receive': {
      const status = t.state.status;
      return t.received({ result: 'failed', status, ...(status.reason === undefined ? {} : { reason: status.reason }) });
    }
    case 'deploy':
      if (t.state.trial) return t.fail(then.pkg.topologyId, `not applied: ${t.state.status.reason ?? 'an earlier rollback is still pending'}`);
      return deploy(t, then.pkg, then.resolved, then.tunnels);
    case 'timer':
      return t.finish({ to: 'timer' });
    case 'start':
      // Restoring brings the daemons up on what it restores; with nothing restored, they are still to be brought up.
      if (!trial.revertTo) return t.next({ kind: 'resume', problem: then.problem }, { type: 'resume' });
      return started(t, then.problem);
  }
}

/** What is on disk may no longer be the part in effect: the next package is applied, whatever it carries. */
function forgetPartsInEffect(t: Transition): void {
  const { running, trial } = t.state;
  const unsure = (ref: RunningPackage | undefined) => ref && { topologyId: ref.topologyId, digest: ref.digest };
  t.update({ running: unsure(running), trial: trial && { ...trial, revertToPackage: unsure(trial.revertToPackage) } });
}

/** Leaving the overlay: back up, tear everything down, and put the configuration back if that fails. */
function removing(t: Transition, op: Extract<Operation, { kind: `remove${string}` }>, result: WorkAnswer): DeployStep {
  const failed = result.kind === 'work-failed' ? result.message : undefined;
  switch (op.kind) {
    case 'remove-backup':
      if (failed !== undefined) return t.fail(op.topologyId, `could not back up the running configuration: ${failed}`);
      return t.next({ kind: 'remove', topologyId: op.topologyId, backup: answerOf(result, 'backed-up').backup }, { type: 'teardownAll' });
    case 'remove': {
      if (failed !== undefined) return t.next({ kind: 'remove-restore', topologyId: op.topologyId, reason: `teardown failed: ${failed}` }, { type: 'restore', backup: op.backup });
      answerOf(result, 'worked');
      t.disarm();
      t.update({ trial: undefined, running: undefined, confirmed: undefined });
      const status = t.setStatus({ state: 'removed', topologyId: op.topologyId });
      t.save();
      return t.received({ result: 'removed', status });
    }
    case 'remove-restore':
      if (failed !== undefined) {
        forgetPartsInEffect(t);
        return t.fail(op.topologyId, `${op.reason}; restoring the previous configuration failed too (${failed})`);
      }
      answerOf(result, 'worked');
      return t.fail(op.topologyId, `${op.reason}; restored the previous configuration`);
  }
}

function confirm(t: Transition, topologyId: string): DeployStep {
  const confirmed = (outcome: ConfirmOutcome) => t.finish({ to: 'confirm', outcome });
  const { trial, status } = t.state;
  if (trial?.topologyId === topologyId && trial.phase === 'awaiting-confirm') {
    t.disarm();
    t.update({ trial: undefined, confirmed: topologyId });
    const deployed = t.setStatus({ state: 'deployed', topologyId });
    t.save();
    return confirmed({ result: 'confirmed', status: deployed });
  }
  if (!trial && t.state.confirmed === topologyId) return confirmed({ result: 'already-confirmed', status });
  if (t.state.latest?.topologyId === topologyId || trial?.topologyId === topologyId) {
    return confirmed({ result: 'ignored', status, reason: `topology ${topologyId} is not awaiting confirmation here (${status.state})` });
  }
  if (!t.state.earlyConfirms.includes(topologyId)) {
    t.update({ earlyConfirms: [...t.state.earlyConfirms, topologyId].slice(-8) });
    t.save();
  }
  return confirmed({ result: 'remembered', status });
}

function timer(t: Transition, topologyId: string): DeployStep {
  const trial = t.state.trial;
  if (!trial || trial.topologyId !== topologyId) return t.finish({ to: 'timer' });
  if (trial.phase !== 'awaiting-confirm') return rollBack(t, trial, trial.reason ?? stoppedWhileApplying(trial), { to: 'timer' });
  if (t.now >= trial.deadlineAt) return rollBack(t, trial, missedDeadline(trial), { to: 'timer' });
  // A timer may fire early when the wall clock was set back; wait for the rest.
  t.arm();
  return t.finish({ to: 'timer' });
}

function start(t: Transition, read: JsonFileRead<DeployState>): DeployStep {
  let problem: string | undefined;
  if (read.kind === 'ok') t.state = read.value;
  else if (read.kind === 'corrupt') {
    problem = `the deploy state file was corrupt (${read.reason}); kept it as ${read.keptAs} and started afresh`;
    t.setStatus({ state: 'failed', reason: problem });
    t.save();
  }
  const trial = t.state.trial;
  if (trial && (trial.phase !== 'awaiting-confirm' || t.now >= trial.deadlineAt)) {
    // Rolling back also brings the daemons up on what it restores.
    const reason = trial.phase === 'awaiting-confirm' ? missedDeadline(trial) : (trial.reason ?? stoppedWhileApplying(trial));
    return rollBack(t, trial, reason, { to: 'start', problem });
  }
  if (trial) t.arm();
  else if (t.state.status.state === 'deploying') {
    t.setStatus({ state: 'failed', ...optionalTopology(t.state.status.topologyId), reason: 'the agent stopped while deploying' });
    t.save();
  }
  return t.next({ kind: 'resume', problem }, { type: 'resume' });
}

function started(t: Transition, problem: string | undefined): DeployStep {
  return t.finish({ to: 'start', outcome: { status: t.state.status, ...(problem === undefined ? {} : { problem }) } });
}

type WorkAnswer = Extract<DeployEvent, { kind: 'opened' | 'backed-up' | 'worked' | 'work-failed' }>;

/** The operation under way goes on with what its work came to. */
function resumeOperation(t: Transition, op: Operation, result: WorkAnswer): DeployStep {
  const failed = result.kind === 'work-failed' ? result.message : undefined;
  switch (op.kind) {
    case 'open':
      if (failed !== undefined) return t.fail(op.pkg.topologyId, failed);
      return opened(t, op.pkg, answerOf(result, 'opened').resolved);
    case 'backup':
      if (failed !== undefined) return t.fail(op.pkg.topologyId, `could not back up the running configuration: ${failed}`);
      return apply(t, op.pkg, op.resolved, op.tunnels, answerOf(result, 'backed-up').backup, op.revertToPackage);
    case 'apply':
      if (failed !== undefined) return rollBack(t, op.trial, `apply failed: ${redactSecrets(failed, op.secretValues)}`, { to: 'receive' });
      answerOf(result, 'worked');
      return applied(t, op.pkg, op.trial, op.partDigest);
    case 'rollback':
      if (failed === undefined) answerOf(result, 'worked');
      return rolledBack(t, op, failed);
    case 'remove-backup':
    case 'remove':
    case 'remove-restore':
      return removing(t, op, result);
    case 'resume':
      if (failed !== undefined) {
        forgetPartsInEffect(t);
        t.setStatus({ state: 'failed', ...optionalTopology(t.state.running?.topologyId), reason: `could not bring the configuration up after the agent started: ${failed}` });
        t.save();
      } else answerOf(result, 'worked');
      return started(t, op.problem);
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
