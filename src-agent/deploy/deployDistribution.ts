// Carries deploy packages through the overlay (seed §9.1.1): the entry root takes the package and floods `deploy`,
// every node fetches it (`get_deploy`) from the entry root if that is a neighbour, else from the neighbour that told it,
// serves it on, and hands it to its deploy engine.
// A node fetches only its own part (a root, its leaves' too) and passes on the parts its neighbours ask it for, fetching
// those it lacks from the neighbour it had its own from: each part travels only towards the node that runs it. A node
// whose part the announcement's index shows unchanged fetches nothing: its copy is the index with the part it runs.
import { createWorkInFlight } from '../../src-shared/async/workInFlight.ts';
import { DEFAULT_BODY_LIMITS } from '../../src-shared/protocol/agentApi.ts';
import { packageNodeNames, type DeployPackage, type NodePart } from '../../src-shared/protocol/deployPackage.ts';
import { completeParts, copyFromIndex, mergeParts, missingParts, selectedParts, withPartsOnly } from '../../src-shared/protocol/packageParts.ts';
import { parseNodeName, rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { FloodMessageOf, MessageBody, MessageType } from '../../src-shared/protocol/messages.ts';
import type { Clock } from '../clock.ts';
import { Refusal } from '../wire/refusal.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import { acceptPackage, type Arrival, type Verdict } from './acceptPackage.ts';
import { announcementAction, announcementOf, confirmationConcerns, remember, rootIdOf } from './announcements.ts';
import { getDeployHandler } from './deployAnswers.ts';
import type { DeployEngine } from './deployEngine.ts';
import { deployRoutes, type DeployHandlers } from './deployRoutes.ts';
import type { ReceiveOutcome } from './deployStep.ts';
import { createDigestCheck, type DigestCheck } from './digestCheck.ts';
import { createKeptPackages } from './keptPackages.ts';
import { packageBytes } from './packageBytes.ts';
import { createPackageFetch, DEFAULT_FETCH_ATTEMPTS, DEFAULT_FETCH_RETRY_MS, type Announced, type FetchResult } from './packageFetch.ts';
import type { PackageStore } from './packageStore.ts';

/** Hands a package to the engine's `take`: directly, or by way of whoever must see each package taken. */
export type TakeThrough = (pkg: DeployPackage, take: (pkg: DeployPackage) => Promise<ReceiveOutcome>) => Promise<ReceiveOutcome>;

export interface DeployDistributionOptions {
  self: string;
  /** This node's root id when it is a root (only a root is an entry root). */
  selfRootId: number | undefined;
  engine: Pick<DeployEngine, 'holding' | 'take' | 'confirm' | 'runningDigest'>;
  store: PackageStore;
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  neighbours(): readonly string[];
  originate<T extends MessageType>(type: T, body: MessageBody<T>): void;
  clock: Pick<Clock, 'now' | 'sleep' | 'setTimeout' | 'clearTimeout'>;
  maxPackageBytes: number;
  /** The flood's line limit (the agent's maxBodyBytes; 256 KiB by default): an announcement's index must fit in it. */
  maxLineBytes?: number;
  log(event: string, fields: Record<string, unknown>): void;
  through?: TakeThrough;
  /** The node's one digest check, shared with its engine. */
  checkDigest?: DigestCheck;
  /** Waits between fetch attempts; the attempts go round the neighbours, the one that told us first. */
  retryMs?: number;
  attempts?: number;
  /** How many packages may be fetched at once (default 4); an announcement beyond that is let go, and logged. */
  maxFetches?: number;
  /** How many get_deploy answers may be in flight at once (default 8); beyond that a neighbour is told to ask again. */
  maxAnswers?: number;
}

export interface DeployDistribution {
  /** Loads the stored packages, so this node can enroll on, serve and go back to them after a restart. */
  start(): Promise<void>;
  /**
   * Forgets the stored packages the engine no longer needs, once it started: one whose deploy it rolled back as it
   * started, one stored for a deploy a restart cut short before the engine took it.
   */
  tidy(): void;
  /** Its routes of the API table. */
  handlers(): DeployHandlers;
  onDeploy(message: FloodMessageOf<'deploy'>, from: string | null): void;
  onConfirm(message: FloodMessageOf<'confirm_deploy'>): void;
  /** The package whose part is in effect here, if any (client enrollment reads its files); never one that failed here. */
  current(): DeployPackage | undefined;
  /** Resolves when the fetches, engine calls and file operations started so far are done. */
  settled(): Promise<void>;
}

export function createDeployDistribution(options: DeployDistributionOptions): DeployDistribution {
  const { engine, log, clock } = options;
  const maxFetches = options.maxFetches ?? 4;
  const through: TakeThrough = options.through ?? ((pkg, take) => take(pkg));
  const checkDigest = options.checkDigest ?? createDigestCheck();
  const fetchPackage = createPackageFetch({ ...options, checkDigest, retryMs: options.retryMs ?? DEFAULT_FETCH_RETRY_MS, attempts: options.attempts ?? DEFAULT_FETCH_ATTEMPTS });
  const kept = createKeptPackages({ store: options.store, log, inUse: () => engine.holding().inUse, runningDigest: () => engine.runningDigest() });
  const inFlight = createWorkInFlight<DeployPackage>();
  const { track } = inFlight;
  /** By digest, the neighbour each package being fetched was announced by, and is asked for first. */
  const announcers = new Map<string, string | null>();
  /** By digest, of the few newest packages: what was announced, the neighbour this node had its copy from, and the
   * fullest copy here (with the parts passed on through this node), each once known. */
  const sources = new Map<string, { announced: Announced; from?: string; copy?: DeployPackage }>();
  /** The parts being fetched for the neighbours, by digest and names: two neighbours asking for the same wait on one fetch. */
  const passing = new Map<string, Promise<DeployPackage | undefined>>();
  let fetches = 0;
  let announced: readonly string[] = [];
  const logError = (topologyId: string) => (error: unknown) => log('deploy_error', { topologyId, error: String(error) });

  /**
   * The acceptance rules, against what the engine holds now. A package accepted is taken with nothing awaited in
   * between, so that no other package is judged against the same holding meanwhile.
   */
  const judge = (pkg: DeployPackage, arrival: Arrival, digestIntact: boolean): Verdict =>
    acceptPackage(pkg, arrival, { ...engine.holding(), digestIntact, now: clock.now() });

  /**
   * Judges a package; one to deploy is stored before the engine takes it (so a package in effect is always on disk) and
   * judged again, since the engine may have taken another meanwhile. The verdict is acted on at once; a package accepted
   * as new stays held by the packages kept until `take` is done with it.
   */
  async function admit(pkg: DeployPackage, arrival: () => Arrival, digestIntact: boolean): Promise<Verdict> {
    const first = judge(pkg, arrival(), digestIntact);
    if (!isNew(first)) return first;
    try {
      await kept.hold(pkg);
    } catch (error) {
      kept.release(pkg, false);
      throw error;
    }
    const verdict = judge(pkg, arrival(), digestIntact);
    if (!isNew(verdict)) kept.release(pkg, false);
    return verdict;
  }

  /** Hands an accepted package to the engine; what is kept follows what the engine runs, not what it was given. */
  async function take(pkg: DeployPackage, accepted: 'new' | 'unchanged', via: string): Promise<void> {
    try {
      const outcome = await through(pkg, (taken) => engine.take(taken, accepted));
      log('deploy', { topologyId: pkg.topologyId, via, result: outcome.result, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) });
    } finally {
      if (accepted === 'new') kept.release(pkg, true);
    }
  }

  /**
   * The package the application posted: whole, or with the parts of the nodes it carries unchanged left out, which this
   * root completes from the packages it keeps (it was the entry root before); refused, naming them, when it lacks some.
   */
  async function post(posted: DeployPackage): Promise<{ topologyId: string; digest: string }> {
    const completed = await completeParts(posted, kept.all());
    if ('lacking' in completed) {
      const names = completed.lacking;
      throw new Refusal('not_found', `this root keeps no part of ${names.length} node${names.length === 1 ? '' : 's'} the package leaves out (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}): post it whole`);
    }
    const pkg = completed.package;
    const digestIntact = await checkDigest(pkg);
    const arrival = (): Arrival => ({ via: 'application', self: options.self, selfRootId: options.selfRootId, beingDeployed: inFlight.has(pkg.digest) });
    const verdict = await admit(pkg, arrival, digestIntact);
    if ('refused' in verdict) throw new Refusal(verdict.refused, verdict.reason);
    announced = remember(announced, pkg.topologyId);
    // Flood first, apply after: the other nodes need not wait for this node's backend; they fetch the package
    // from here while the engine works on it.
    inFlight.hold(pkg.digest, Promise.resolve(pkg), take(pkg, verdict.accepted, 'application').catch(logError(pkg.topologyId)));
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_BODY_LIMITS.message;
    options.originate('deploy', await announcementOf(pkg, packageBytes(pkg).length, clock.now() + pkg.deadlineMs, maxLineBytes));
    return { topologyId: pkg.topologyId, digest: pkg.digest };
  }

  const sourceOf = (announced: Announced) => {
    let source = sources.get(announced.digest);
    if (source === undefined) {
      sources.set(announced.digest, (source = { announced }));
      if (sources.size > KEPT_SOURCES) sources.delete(sources.keys().next().value!);
    }
    return source;
  };

  /**
   * The copy this node would fetch (its part, a root's leaves' too), made of the announcement's index and the parts of
   * the package in effect here, when the index names each of them unchanged; undefined at once when there is no index
   * or nothing in effect, and once the parts are checked when one changed.
   */
  function unchangedCopy(announcement: MessageBody<'deploy'>, from: string): Promise<Fetched | undefined> | undefined {
    const { index } = announcement;
    const running = kept.current();
    if (index === undefined || running === undefined || index.digest !== announcement.digest || index.topologyId !== announcement.topologyId) return undefined;
    const own = packageNodeNames(index).filter(ownSelector);
    if (!own.includes(options.self) || !own.every((name) => Object.hasOwn(running.nodes, name))) return undefined;
    const parts = Object.fromEntries(own.map((name): [string, NodePart] => [name, running.nodes[name]!]));
    // The copy's digest is the index's, its parts being the very ones the index names: the index is checked for it, once
    // for every agent of a host (they share the announcement). An index that is not intact is no reason not to fetch.
    return (async () => {
      const copy = await copyFromIndex(index, parts);
      return copy !== undefined && (await checkDigest(index)) ? { package: copy, from, intactAs: index } : undefined;
    })();
  }

  function fetchAnnounced(announcement: MessageBody<'deploy'>, announcer: string | null, announcedBy: number): void {
    // The entry root holds every part: a neighbour of it asks it first, whoever told of the deploy first (another
    // neighbour may hold its own part only, and would fetch this node's from further on).
    const entryRoot = rootNodeName(announcedBy);
    const from = announcer !== null && options.neighbours().includes(entryRoot) ? entryRoot : announcer;
    fetches++;
    announcers.set(announcement.digest, from);
    const source = sourceOf(announcement);
    const fetchOwn = (): Promise<Fetched> => fetchPackage(announcement, from, [options.self]);
    const unchanged = from === null ? undefined : unchangedCopy(announcement, from);
    const fetched = (unchanged === undefined ? fetchOwn() : unchanged.then((copy) => copy ?? fetchOwn())).then((result) => {
      if ('package' in result) source.from = result.from;
      return result;
    }).finally(() => {
      fetches--;
      announcers.delete(announcement.digest);
    });
    const taken = fetched.then(async (result) => {
      if ('failed' in result) return log('deploy_fetch_failed', { topologyId: announcement.topologyId, reason: result.failed });
      const pkg = result.package;
      const via = from ?? 'unknown';
      const digestIntact = await checkDigest(result.intactAs ?? pkg);
      const verdict = await admit(pkg, () => ({ via: 'flood', announcedBy }), digestIntact);
      if ('refused' in verdict) return log('deploy', { topologyId: pkg.topologyId, via, result: 'refused', reason: verdict.reason });
      return take(pkg, verdict.accepted, via);
    });
    inFlight.hold(
      announcement.digest,
      fetched.then((result) => ('package' in result ? result.package : undefined)),
      taken.catch(logError(announcement.topologyId)),
    );
  }

  /** Fetches the parts `selectors` name from `from`, kept with the others passed on through this node; undefined when refused. */
  function passOn(announced: Announced, from: string, selectors: readonly string[]): Promise<DeployPackage | undefined> {
    const key = `${announced.digest} ${selectors.join(' ')}`;
    let fetched = passing.get(key);
    if (fetched === undefined) {
      const source = sourceOf(announced);
      fetched = fetchPackage(announced, from, selectors)
        .then((result) => {
          if ('failed' in result) return undefined;
          source.copy = source.copy === undefined ? result.package : mergeParts(source.copy, result.package);
          return source.copy;
        })
        .finally(() => passing.delete(key));
      passing.set(key, fetched);
    }
    return fetched;
  }

  /**
   * `pkg` with the parts of `names` too, fetched from the neighbour this node had `pkg` from (never from `asker`: that one
   * would ask back, each waiting on the other); undefined when they cannot be had.
   */
  async function withParts(pkg: DeployPackage, names: readonly string[], asker: string | null): Promise<DeployPackage | undefined> {
    const source = sources.get(pkg.digest);
    const have = source?.copy === undefined ? pkg : mergeParts(pkg, source.copy);
    const missing = missingParts(have, names);
    if (missing.length === 0) return have;
    if (source?.from === undefined || source.from === asker) return undefined;
    const passed = await passOn(source.announced, source.from, missing);
    return passed === undefined ? undefined : mergeParts(pkg, passed);
  }

  /** Whether a part selector names this node's own part or one of its leaves': what this node fetches for itself. */
  const ownSelector = (selector: string): boolean => {
    if (selector === options.self) return true;
    const name = parseNodeName(selector);
    return name?.role === 'leaf' && name.rootId === options.selfRootId;
  };

  /**
   * A package kept here, announced again: the engine gets it again, to try it again if it failed here, or if the engine
   * has not taken it (its state was lost); the rules tell.
   */
  async function redeliver(pkg: DeployPackage, announcedBy: number, via: string): Promise<void> {
    const digestIntact = await checkDigest(pkg);
    const verdict = await admit(pkg, () => ({ via: 'flood', announcedBy }), digestIntact);
    if (!('refused' in verdict)) await take(pkg, verdict.accepted, via);
  }

  const handlers = deployRoutes({
    post,
    confirm(topologyId) {
      options.originate('confirm_deploy', { topologyId });
      return track(engine.confirm(topologyId));
    },
    getDeploy: getDeployHandler({
      async find(wanted, asker) {
        // The neighbour this node fetches the package from would wait on this answer as it waits on that one: each
        // would hold the other until a timeout (10 s a turn). It is told at once there is nothing here yet.
        const known = kept.find(wanted.digest);
        const upstream = announcers.get(wanted.digest);
        if (known === undefined && asker !== null && upstream === asker) return undefined;
        // Other nodes' parts, asked while this node still fetches its own: fetched at once from where its own come from,
        // not once they have come (a wait saved at every hop down the tree the parts travel).
        const source = sources.get(wanted.digest);
        if (known === undefined && upstream && source !== undefined && wanted.parts !== undefined && !wanted.parts.every(ownSelector)) {
          const passed = await passOn(source.announced, upstream, wanted.parts);
          if (passed !== undefined) return withPartsOnly(passed, selectedParts(passed, wanted.parts));
        }
        const pkg = known ?? (await inFlight.get(wanted.digest));
        if (pkg?.topologyId !== wanted.topologyId || pkg.digest !== wanted.digest) return undefined;
        const names = wanted.parts === undefined ? packageNodeNames(pkg) : selectedParts(pkg, wanted.parts);
        const fuller = await withParts(pkg, names, asker);
        return fuller === undefined || wanted.parts === undefined ? fuller : withPartsOnly(fuller, names);
      },
      bytesOf: packageBytes,
      clock,
      maxAnswers: options.maxAnswers ?? 8,
      log,
    }),
  });

  return {
    start: () => kept.start(),
    tidy: () => kept.tidy(),

    handlers: () => handlers,

    onDeploy(message, from) {
      const body = message.body;
      // Only the administrator, through a root, deploys: a leaf's control certificate must not reconfigure the overlay.
      // The flood router refuses (and counts) a leaf's deploy at the first node; should one come here, it costs no log line.
      const announcedBy = rootIdOf(message.origin);
      if (announcedBy === undefined) return;
      announced = remember(announced, body.topologyId);
      const action = announcementAction(body, { kept: kept.find, inFlight: (digest) => inFlight.has(digest), fetches, maxFetches, maxPackageBytes: options.maxPackageBytes });
      switch (action.act) {
        case 'redeliver':
          void track(redeliver(action.pkg, announcedBy, from ?? 'unknown').catch(logError(body.topologyId)));
          return;
        case 'fetch':
          return fetchAnnounced(body, from, announcedBy);
        case 'ignore':
          return log('deploy_ignored', { topologyId: body.topologyId, origin: message.origin, reason: action.reason });
        case 'none':
          return;
      }
    },

    onConfirm(message) {
      const { topologyId } = message.body;
      // Nor does a leaf confirm one; the router refuses that too.
      if (rootIdOf(message.origin) === undefined) return;
      if (!confirmationConcerns(topologyId, kept.current(), announced)) return;
      void track(engine.confirm(topologyId)).catch(logError(topologyId));
    },

    current: () => kept.current(),
    settled: () => inFlight.settled().then(() => kept.settled()),
  };
}

/**
 * A package fetched, or made of the announcement's index and the parts in effect here: its digest is then the index's
 * (`intactAs`), checked once for every agent of a host.
 */
type Fetched = Exclude<FetchResult, { package: DeployPackage }> | { package: DeployPackage; from: string; intactAs?: DeployPackage };

/** Packages whose sources are remembered: the one deploying and the one before, with room to spare. */
const KEPT_SOURCES = 4;

const isNew = (verdict: Verdict): boolean => 'accepted' in verdict && verdict.accepted === 'new';
