// A deploy, as events: the plan, and once approved the keys saved, the package built and posted to the entry root, every
// node followed until it reports the new topology, fails or cannot be reached, the deploy confirmed when every node is
// reachable (else left to revert by itself), and what each node now runs recorded for the next plan, here and, with the
// sealed keys, on every root (the administrator state a new workstation restores).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { parseNodeName } from '../../../src-shared/plan/nodeNames.ts';
import { buildDeployPackage, DEFAULT_CONFIRM_DEADLINE_MS } from '../../../src-shared/protocol/deployPackage.ts';
import type { DeployNodeInput, DeployPackage } from '../../../src-shared/protocol/deployPackage.ts';
import { withPartsOnly } from '../../../src-shared/protocol/packageParts.ts';
import { keepAdminState } from '../adminState/keepAdminState.ts';
import type { AgentMethods } from '../agentClient/agentClient.ts';
import type { BulkIssueOptions } from '../pki/bulkIssuer.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import type { VyosVersion } from '../render/renderOptions.ts';
import type { Unlocker } from '../secrets/unlocker.ts';
import { DEPLOYED_FILE, DEPLOYED_RECORD_VERSION, deployedRecordFile } from './deployedRecord.ts';
import { IN_FLIGHT_FILE, IN_FLIGHT_VERSION, inFlightFile } from './deployInFlight.ts';
import type { InFlight } from './deployInFlight.ts';
import type { DeployedNode, DeployedRecord } from './deployedRecord.ts';
import type { DeployPlan } from './deployPlan.ts';
import { portOfAgentUrl } from './agentPorts.ts';
import { followStep, startFollow } from './followDeploy.ts';
import type { FollowState, NodeOutcome } from './followDeploy.ts';
import { nodePart } from './nodeParts.ts';
import { prepareDeploy } from './prepareDeploy.ts';
import { inputFingerprint, reuseSealedParts, SEALED_PARTS_FILE, sealedPartsFile, sealedPartsOf } from './sealedParts.ts';
import type { PreparedDeploy } from './prepareDeploy.ts';

/** The entry root's routes a deploy uses, with the session's token. */
export type EntryApi = Pick<AgentMethods, 'status' | 'deploy' | 'confirmDeploy' | 'putAdminState'>;

export interface DeployClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface DeploySummary {
  topologyId: string;
  applied: string[];
  failed: Array<{ node: string; reason: string }>;
  unreachable: Array<{ node: string; reason: string }>;
  confirmed: boolean;
  /** Why the deploy was not confirmed, when it was not. */
  notConfirmed?: string;
}

export type DeployEvent =
  /** Something the user should know that does not stop the deploy (a corrupt record kept aside). */
  | { kind: 'notice'; message: string }
  | { kind: 'plan'; topologyId: string; plan: DeployPlan }
  | { kind: 'posted'; topologyId: string; digest: string; nodes: string[] }
  | ({ kind: 'node' } & NodeOutcome)
  | { kind: 'confirmed'; topologyId: string }
  /** Not confirmed: every node goes back to what it ran before by `by` (epoch ms, about). */
  | { kind: 'reverting'; topologyId: string; reason: string; by: number }
  | { kind: 'done'; outcome: DeployOutcome };

export type DeployOutcome =
  /** Nothing was sent: the topology, the overlay or VyOS said no. */
  | { kind: 'refused'; problems: string[] }
  /** The plan was not approved; nothing was sent. */
  | { kind: 'declined' }
  /** The entry root did not take the package (or did not answer before it). */
  | { kind: 'not-posted'; reason: string }
  | { kind: 'followed'; summary: DeploySummary };

export interface DeployRunOptions {
  access: OverlayAccess;
  entry: EntryApi;
  topology: unknown;
  /** This overlay's folder in the application's state (keys, what was deployed). */
  stateDir: string;
  /** What opens the overlay's kept keys, and seals them (the OS store, else the administrator's passphrase). */
  secrets: Unlocker;
  clock: DeployClock;
  approve(plan: DeployPlan): Promise<boolean>;
  onEvent(event: DeployEvent): void;
  /** How often the status is asked for, and how long to wait for every node; default 100 ms and 90 s. */
  pollMs?: number;
  followMs?: number;
  /** How long nodes wait for the confirmation before they revert by themselves (the package's deadline). */
  confirmDeadlineMs?: number;
  topologyId?: string;
  vyosVersion?: VyosVersion;
  baseDir?: string;
  bulk?: BulkIssueOptions;
}

/**
 * A deploy's nodes report within a second or two: asked ten times a second, each shows about when it reports (one status
 * answer costs the entry root a few ms, and it is asked only while a deploy is followed).
 */
const DEFAULT_POLL_MS = 100;
export const DEFAULT_FOLLOW_MS = 90_000;

/** A topology id that says when it was made, and differs from any other made at the same millisecond. */
function newTopologyId(now: number): string {
  return `${new Date(now).toISOString()}-${randomBytes(3).toString('hex')}`;
}

export async function runDeploy(options: DeployRunOptions): Promise<DeployOutcome> {
  const outcome = await deploy(options);
  options.onEvent({ kind: 'done', outcome });
  return outcome;
}

async function deploy(options: DeployRunOptions): Promise<DeployOutcome> {
  const { access, entry, clock, onEvent } = options;
  const record = deployedRecordFile(path.join(options.stateDir, DEPLOYED_FILE), clock.now);
  const read = await record.load();
  if (read.kind === 'corrupt') onEvent({ kind: 'notice', message: `what was deployed last could not be read (${read.reason}); kept it as ${read.keptAs} and planned as for a first deploy` });
  const previous = read.kind === 'ok' ? read.value : undefined;
  const unsettled = await inFlightFile(path.join(options.stateDir, IN_FLIGHT_FILE), clock.now).load();
  if (unsettled.kind === 'ok' && clock.now() < unsettled.value.confirmBy) {
    return { kind: 'refused', problems: [`the deploy of topology ${unsettled.value.topologyId} is not settled yet (posted at ${new Date(unsettled.value.postedAt).toISOString()}): it is followed again at the next login, or its nodes go back by themselves by ${new Date(unsettled.value.confirmBy).toISOString()}`] };
  }

  const keysFile = keptOverlayKeys(path.join(options.stateDir, KEYS_FILE), options.secrets);
  const ready = await prepareDeploy({
    access,
    topology: options.topology,
    keysFile,
    previous,
    ...pick(options, ['vyosVersion', 'baseDir', 'bulk']),
  });
  if (!ready.ok) return { kind: 'refused', problems: ready.problems };
  const { prepared } = ready;
  const topologyId = options.topologyId ?? newTopologyId(clock.now());
  onEvent({ kind: 'plan', topologyId, plan: prepared.plan });
  if (!(await options.approve(prepared.plan))) return { kind: 'declined' };

  const partsFile = sealedPartsFile(path.join(options.stateDir, SEALED_PARTS_FILE), clock.now);
  // Side by side: the entry root's view just before the post (what its nodes reported before they heard of this
  // deploy), the keys saved (before anything leaves: a deploy that goes through with keys not kept would strand the nodes
  // on them), and the parts sealed last read back.
  const [baseline, , keptParts] = await Promise.all([entry.status(), keysFile.save(prepared.keys), partsFile.load()]);
  if (!baseline.ok) return { kind: 'not-posted', reason: `${access.entry} did not give its status: ${baseline.reason}` };
  const confirmDeadlineMs = options.confirmDeadlineMs ?? DEFAULT_CONFIRM_DEADLINE_MS;
  const inputs = packageNodes(prepared);
  const fingerprints = new Map(Object.entries(inputs).map(([node, input]) => [node, inputFingerprint(input, prepared.identityKeys[node])]));
  if (keptParts.kind === 'corrupt') onEvent({ kind: 'notice', message: `the parts sealed for the last deploy could not be read (${keptParts.reason}); kept them as ${keptParts.keptAs} and sealed every node's secrets afresh` });
  const { toSeal, sealed } = reuseSealedParts(inputs, fingerprints, keptParts.kind === 'ok' ? keptParts.value : undefined);
  const pkg = await buildDeployPackage({
    topologyId,
    createdAt: new Date(clock.now()).toISOString(),
    deadlineMs: confirmDeadlineMs,
    entryRootId: rootIdOf(access.entry),
    nodes: toSeal,
    sealedParts: sealed,
    identityKeys: prepared.identityKeys,
    removed: {
      nodes: prepared.plan.nodes.filter((n) => n.change === 'removed').map((n) => n.node),
      tunnels: prepared.plan.removedTunnels.map(({ a, b }) => ({ a, b })),
    },
    // The package's overlay names one port for all: the entry root's.
    overlay: { topology: prepared.topology, agentPort: portOfAgentUrl(access.nodes[access.entry]!.url) },
  });
  const posted = await postPackage(entry, pkg, Object.keys(sealed));
  if (!posted.ok) return { kind: 'not-posted', reason: `${access.entry} did not take the deploy: ${posted.reason}` };
  const postedAt = clock.now();
  const followed = [...prepared.nodes.keys()];
  const inFlight: InFlight = {
    version: IN_FLIGHT_VERSION,
    topologyId,
    digest: pkg.digest,
    postedAt,
    followUntil: postedAt + (options.followMs ?? DEFAULT_FOLLOW_MS),
    confirmBy: postedAt + confirmDeadlineMs,
    nodes: followed,
    baseline: baseline.answer,
    next: { topology: prepared.topology, nodes: Object.fromEntries([...prepared.nodes].map(([node, n]) => [node, n.record])) },
  };
  // Kept until the deploy is settled: an application killed now follows it again when it starts (resumeDeploy).
  await inFlightFile(path.join(options.stateDir, IN_FLIGHT_FILE), clock.now).save(inFlight);
  onEvent({ kind: 'posted', topologyId, digest: pkg.digest, nodes: followed });
  const outcome = await settle(options, inFlight, previous);
  // Kept for the next deploy once this one is settled: written meanwhile, megabytes of it took the CPU the nodes take
  // the deploy with (a sandbox runs them on this machine). Lost with a crash, the next deploy seals every part afresh.
  await partsFile.save(sealedPartsOf(pkg, fingerprints));
  return outcome;
}

/**
 * Posts the package with the parts carried on unchanged left out: the entry root completes it from the package it keeps
 * (a one-tunnel change then sends two roots' parts, not every node's). An entry root that lacks some (it was not the
 * entry root before, or lost its packages) says so, and gets the package whole.
 */
async function postPackage(entry: EntryApi, pkg: DeployPackage, carried: readonly string[]): ReturnType<EntryApi['deploy']> {
  if (carried.length > 0) {
    const leftOut = new Set(carried);
    const posted = await entry.deploy(await withPartsOnly(pkg, Object.keys(pkg.nodes).filter((node) => !leftOut.has(node))));
    if (posted.ok || posted.code !== 'not_found') return posted;
  }
  return entry.deploy(pkg);
}

export type ResumeOptions = Pick<DeployRunOptions, 'access' | 'entry' | 'stateDir' | 'clock' | 'onEvent' | 'pollMs'>;

/**
 * Follows, confirms and records the deploy an earlier run posted and did not settle (the application was killed): its
 * outcome, or undefined when there is none to resume. Past its confirmation deadline the nodes have gone back to what
 * they ran before by themselves, and it is reported so.
 */
export async function resumeDeploy(options: ResumeOptions): Promise<DeployOutcome | undefined> {
  const { clock, onEvent } = options;
  const file = inFlightFile(path.join(options.stateDir, IN_FLIGHT_FILE), clock.now);
  const read = await file.load();
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'corrupt') {
    onEvent({ kind: 'notice', message: `a deploy left unfinished could not be read (${read.reason}); kept it as ${read.keptAs}` });
    return undefined;
  }
  const inFlight = read.value;
  onEvent({ kind: 'notice', message: `following again the deploy of topology ${inFlight.topologyId}, posted at ${new Date(inFlight.postedAt).toISOString()} and left unfinished` });
  onEvent({ kind: 'posted', topologyId: inFlight.topologyId, digest: inFlight.digest, nodes: inFlight.nodes });
  if (clock.now() >= inFlight.confirmBy) {
    await file.clear();
    const reason = 'the application was not running when the deploy had to be confirmed';
    onEvent({ kind: 'reverting', topologyId: inFlight.topologyId, reason, by: inFlight.confirmBy });
    return { kind: 'followed', summary: { topologyId: inFlight.topologyId, applied: [], failed: [], unreachable: [], confirmed: false, notConfirmed: reason } };
  }
  const record = deployedRecordFile(path.join(options.stateDir, DEPLOYED_FILE), clock.now);
  const previous = await record.load();
  const outcome = await settle(options, inFlight, previous.kind === 'ok' ? previous.value : undefined);
  onEvent({ kind: 'done', outcome });
  return outcome;
}

/** Follows every node of a posted deploy, confirms it when every node is reachable, records what each runs, and forgets the in-flight record. */
async function settle(options: ResumeOptions, inFlight: InFlight, previous: DeployedRecord | undefined): Promise<DeployOutcome> {
  const { access, entry, clock, onEvent } = options;
  const { topologyId } = inFlight;
  const outcomes = await follow(options, startFollow({ topologyId, entry: access.entry, nodes: inFlight.nodes, baseline: inFlight.baseline, deadlineAt: inFlight.followUntil }));
  const summary = summarize(topologyId, outcomes);
  if (summary.unreachable.length > 0) {
    summary.notConfirmed = `${summary.unreachable.map((u) => u.node).join(', ')} could not be reached`;
  } else {
    const confirmed = await entry.confirmDeploy({ topologyId });
    if (confirmed.ok) summary.confirmed = true;
    else summary.notConfirmed = `${access.entry} did not take the confirmation: ${confirmed.reason}`;
  }
  if (summary.confirmed) {
    onEvent({ kind: 'confirmed', topologyId });
    const record = nextRecord(topologyId, clock.now(), inFlight.next, previous, outcomes);
    await deployedRecordFile(path.join(options.stateDir, DEPLOYED_FILE), clock.now).save(record);
    const kept = await keepAdminState(entry, path.join(options.stateDir, KEYS_FILE), record);
    if (!kept.ok) onEvent({ kind: 'notice', message: `the overlay's roots do not keep this deploy's administrator state (${kept.reason}): a workstation that restores it from them gets the one before` });
  } else {
    onEvent({ kind: 'reverting', topologyId, reason: summary.notConfirmed!, by: inFlight.confirmBy });
  }
  await inFlightFile(path.join(options.stateDir, IN_FLIGHT_FILE), clock.now).clear();
  return { kind: 'followed', summary };
}

/** Polls the entry root's status until every node has an outcome, telling each as it comes. */
async function follow(options: ResumeOptions, start: FollowState): Promise<NodeOutcome[]> {
  const { entry, clock, onEvent } = options;
  const outcomes: NodeOutcome[] = [];
  let state = start;
  for (;;) {
    const status = await entry.status();
    const input = status.ok
      ? ({ kind: 'status', snapshot: status.answer } as const)
      : status.code === 'unauthenticated'
        ? ({ kind: 'session-ended', reason: `the session at ${options.access.entry} ended (${status.reason})` } as const)
        : ({ kind: 'no-status', reason: status.reason } as const);
    const step = followStep(state, input, clock.now());
    state = step.state;
    for (const outcome of step.outcomes) {
      outcomes.push(outcome);
      onEvent({ kind: 'node', ...outcome });
    }
    if (step.done) return outcomes;
    await clock.sleep(options.pollMs ?? DEFAULT_POLL_MS);
  }
}

function packageNodes(prepared: PreparedDeploy): Record<string, DeployNodeInput> {
  const options = { baseDir: prepared.baseDir, secrets: prepared.secrets };
  return Object.fromEntries(
    [...prepared.nodes].map(([node, n]) => {
      const part = nodePart(node, n.backend, n.files, options);
      const identityCertificate = prepared.identityRenewals.get(node);
      return [node, identityCertificate === undefined ? part : { ...part, identityCertificate }];
    }),
  );
}

function summarize(topologyId: string, outcomes: readonly NodeOutcome[]): DeploySummary {
  const summary: DeploySummary = { topologyId, applied: [], failed: [], unreachable: [], confirmed: false };
  for (const o of outcomes) {
    if (o.outcome === 'applied') summary.applied.push(o.node);
    else summary[o.outcome].push({ node: o.node, reason: o.reason });
  }
  return summary;
}

/** What each node runs now: the new files where it applied them, what it ran before where it failed (and rolled back). */
function nextRecord(topologyId: string, now: number, next: InFlight['next'], previous: DeployedRecord | undefined, outcomes: readonly NodeOutcome[]): DeployedRecord {
  const nodes: Record<string, DeployedNode> = {};
  for (const o of outcomes) {
    const kept = o.outcome === 'applied' ? next.nodes[o.node] : previous?.nodes[o.node];
    if (kept !== undefined) nodes[o.node] = kept;
  }
  return { version: DEPLOYED_RECORD_VERSION, topologyId, deployedAt: new Date(now).toISOString(), topology: next.topology, nodes };
}

function rootIdOf(entry: string): number {
  const name = parseNodeName(entry);
  if (name?.role !== 'root') throw new Error(`the entry ${entry} is not a root`);
  return name.rootId;
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Partial<Pick<T, K>>;
}

