// One node's deploy engine: runs the deploy state machine (deployStep.ts) one operation at a time, does its work on the
// backend, keeps its state on disk and its timer on the clock.
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import { createSerialQueue } from '../../src-shared/async/serialQueue.ts';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import type { Backend } from '../backends/types.ts';
import { systemClock } from '../clock.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { acceptPackage, heldOf, type Holding } from './acceptPackage.ts';
import { createDigestCheck, type DigestCheck } from './digestCheck.ts';
import type { DeployState, HeldPackage, PackageRef } from './deployState.ts';
import { deployStep, initialDeployState } from './deployStep.ts';
import type { ConfirmOutcome, DeployConfig, DeployDone, DeployEffect, DeployEvent, DeployWork, EngineState, ReceiveOutcome, StartOutcome } from './deployStep.ts';
import { partDigester } from './partDigest.ts';
import { partOpener, type PartOpener } from './partOpener.ts';
import { backupSeal, type BackupSeal } from './sealedBackup.ts';

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
  /**
   * Told each call about to be made on the backend, with the topology the deploy status names then: what a deploy did
   * to the node (a node whose part did not change is not applied at all).
   */
  onBackendCall?: (call: BackendCall, topologyId: string | undefined) => void;
  /** How long to wait before trying a failed rollback again; default 30 s. */
  rollbackRetryMs?: number;
  /** The node's one digest check, shared with whoever else looks at its packages; one of its own by default. */
  checkDigest?: DigestCheck;
}

export type BackendCall = Exclude<DeployWork['type'], 'open'>;

export interface DeployEngine {
  /** Loads the state; rolls back a deploy interrupted by a restart or past its deadline; arms the pending deadline. */
  start(): Promise<StartOutcome>;
  /** What the acceptance rules judge a package against, from the moment a package is taken. */
  holding(): Holding;
  /**
   * Takes a package the acceptance rules accepted, judged against `holding()` with nothing awaited since: a new one is
   * held at once and deployed in turn; an unchanged one is answered in turn.
   */
  take(pkg: DeployPackage, accepted: 'new' | 'unchanged'): Promise<ReceiveOutcome>;
  /** Checks a package against the rules, with nothing to say of where it came from (the lab, tests), and takes it if they accept it. */
  receive(pkg: DeployPackage): Promise<ReceiveOutcome>;
  confirm(topologyId: string): Promise<ConfirmOutcome>;
  status(): DeployStatus;
  /** The digest of the package whose configuration is in effect here, if any. */
  runningDigest(): string | undefined;
  /** Resolves when every operation queued so far (including a timer's) has finished. */
  settled(): Promise<void>;
  /** Cancels the pending timer; the state on disk keeps the deadline for the next start. */
  stop(): void;
}

export function createDeployEngine(options: DeployEngineOptions): DeployEngine {
  const { backend } = options;
  const clock = options.clock ?? systemClock;
  const config: DeployConfig = {
    self: options.nodeName,
    backendName: backend.name,
    accepts: (rendered) => backend.accepts(rendered),
    rollbackRetryMs: options.rollbackRetryMs ?? 30_000,
  };
  const checkDigest = options.checkDigest ?? createDigestCheck();
  const seal = backupSeal(options.nodeName, options.openingKey);
  const openPart = partOpener(options.nodeName, backend.name, options.openingKey, partDigester(options.openingKey));
  let state: EngineState = { saved: initialDeployState(clock.now()) };
  let held: HeldPackage | undefined;
  /** Packages taken and not deployed yet: while one is, the package held has not failed (not yet, at least). */
  let taking = 0;
  let started = false;
  let timer: TimerHandle | undefined;
  /** Every operation runs alone, in arrival order: a confirmation never interleaves with the apply it confirms. */
  const serial = createSerialQueue();

  function disarm(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  }

  async function perform(effect: DeployEffect): Promise<void> {
    switch (effect.type) {
      case 'status':
        options.onStatus?.(effect.status);
        return;
      case 'save':
        return options.store.save(effect.state);
      case 'arm':
        disarm();
        timer = clock.setTimeout(() => {
          serial(() => run({ kind: 'timer', topologyId: effect.topologyId })).catch((error: unknown) => options.log?.(`deploy timer: ${message(error)}`));
        }, effect.ms);
        return;
      case 'disarm':
        disarm();
    }
  }

  /** Feeds the machine an event, then the outcome of each piece of work it asks for, until the operation is done. */
  async function run(event: DeployEvent): Promise<DeployDone> {
    let step = deployStep(config, state, event, clock.now());
    for (;;) {
      state = step.state;
      for (const effect of step.effects) await perform(effect);
      if (step.done) return step.done;
      if (step.work.type !== 'open') options.onBackendCall?.(step.work.type, state.saved.status.topologyId);
      step = deployStep(config, state, await doWork(step.work, backend, seal, openPart), clock.now());
    }
  }

  function take(pkg: DeployPackage, accepted: 'new' | 'unchanged'): Promise<ReceiveOutcome> {
    if (!started) return Promise.reject(notStarted());
    if (accepted === 'unchanged') return serial(async () => ({ result: 'unchanged', status: state.saved.status }));
    held = heldOf(pkg);
    taking++;
    return serial(async () => outcomeOf(await run({ kind: 'receive', pkg }), 'receive')).finally(() => taking--);
  }

  function holding(): Holding {
    const { running, trial, status } = state.saved;
    const inUse = [running, trial?.revertToPackage].flatMap((ref): PackageRef[] => (ref === undefined ? [] : [{ topologyId: ref.topologyId, digest: ref.digest }]));
    const removedHere = status.state === 'removed' && status.topologyId === held?.topologyId;
    const heldFailed = held !== undefined && taking === 0 && running?.digest !== held.digest && !removedHere;
    return { held, heldFailed, inUse };
  }

  return {
    start: () =>
      serial(async () => {
        const outcome = outcomeOf(await run({ kind: 'start', read: await options.store.load() }), 'start');
        held = state.saved.latest;
        started = true;
        return outcome;
      }),
    holding,
    take,
    async receive(pkg) {
      const digestIntact = await checkDigest(pkg);
      const verdict = acceptPackage(pkg, { via: 'direct' }, { ...holding(), digestIntact, now: clock.now() });
      if ('refused' in verdict) return serial(async () => ({ result: 'refused', status: state.saved.status, reason: verdict.reason }));
      return take(pkg, verdict.accepted);
    },
    confirm: (topologyId) =>
      serial(async () => {
        if (!started) throw notStarted();
        return outcomeOf(await run({ kind: 'confirm', topologyId }), 'confirm');
      }),
    status: () => state.saved.status,
    runningDigest: () => state.saved.running?.digest,
    settled: () => serial(async () => undefined),
    stop: disarm,
  };
}

/** Does the machine's work on the backend; its outcome, failures included, is the machine's next event. */
async function doWork(job: DeployWork, backend: Backend, seal: BackupSeal, openPart: PartOpener): Promise<DeployEvent> {
  try {
    switch (job.type) {
      case 'open':
        return { kind: 'opened', resolved: await openPart(job.topologyId, job.part) };
      case 'backup':
        return { kind: 'backed-up', backup: await seal.seal(await backend.backup()) };
      case 'apply':
        await backend.apply(job.part);
        if (job.tunnels.length > 0) await backend.teardownTunnels(job.tunnels);
        break;
      case 'restore':
        await backend.restore(await seal.open(job.backup));
        break;
      case 'teardownAll':
        await backend.teardownAll();
        break;
      case 'resume':
        await backend.resume();
    }
    return { kind: 'worked' };
  } catch (error) {
    return { kind: 'work-failed', message: message(error) };
  }
}

type Outcomes = { receive: ReceiveOutcome; confirm: ConfirmOutcome; start: StartOutcome };

/** The outcome an operation of kind `to` ends with; the machine ends each with its own kind. */
function outcomeOf<K extends keyof Outcomes>(done: DeployDone, to: K): Outcomes[K] {
  if (done.to !== to || !('outcome' in done)) throw new Error(`deploy engine: a ${to} ended as a ${done.to}`);
  return done.outcome as Outcomes[K];
}

const notStarted = () => new Error('deploy engine: call start() first');

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
