// Reroutes a root's tunnels around cut ones, on its own charon: from the tunnel states the roots report (this one's
// measured, the others' from heartbeats), it decides the cut tunnels (cutTunnels), and once that decision has held for a
// settling time, routes the live graph (reroutePlan) into its connections, loaded with `swanctl --load-conns`. charon
// replaces only the children whose selectors changed. With nothing cut it loads the deployed swanctl.conf again.
import type { AgentLog } from '../agentLog.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { cutTunnels, type TunnelReportOf } from './cutTunnels.ts';
import { MEASURE_COMMAND_TIMEOUT_MS, type SwanctlAccess } from './nodeMeasurement.ts';
import { reroutePlan, type RerouteTopology } from './reroutePlan.ts';
import { reroutedConnections } from './swanctlConns.ts';

/** How long a new decision must hold before it is applied: a tunnel that flaps within it moves no traffic. */
export const REROUTE_SETTLE_MS = 1_000;

export interface RerouterFiles {
  /** The swanctl.conf the deploy put in place. */
  readDeployed(): Promise<string>;
  /** Writes the rerouted connections (mode 0600); returns the path swanctl loads it from. */
  writeRerouted(text: string): Promise<string>;
  /** The deployed file's path, loaded when nothing is cut. */
  deployedPath: string;
}

export interface RerouterOptions {
  selfRootId: number;
  swanctl: SwanctlAccess;
  files: RerouterFiles;
  /** The deployed overlay with each root's probe address; undefined before a deploy with an overlay. */
  overlay: () => RerouteTopology | undefined;
  reportOf: TunnelReportOf;
  /** True while a deploy applies: it loads swanctl.conf itself, and is followed by an update. */
  busy: () => boolean;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  settleMs?: number;
  log: AgentLog;
}

export interface Rerouter {
  /** Something the decision reads changed (a measurement, a heartbeat): decide again. */
  update(): void;
  /** A deploy loaded its own swanctl.conf: what was rerouted is no longer in effect; decide again. */
  deployed(): void;
  stop(): void;
  /** The cut tunnels routed around in charon now. */
  inEffect(): ReadonlySet<string>;
  /** Resolves when the apply under way, if any, is done. */
  settled(): Promise<void>;
}

const sameSet = (x: ReadonlySet<string>, y: ReadonlySet<string>) => x.size === y.size && [...x].every((v) => y.has(v));

export function createRerouter(options: RerouterOptions): Rerouter {
  const { selfRootId, swanctl, files, clock, log } = options;
  const settleMs = options.settleMs ?? REROUTE_SETTLE_MS;
  /** The last decision applied: what `cutTunnels` remembers. */
  let decided: ReadonlySet<string> = new Set();
  /** What charon runs: the last decision, until a deploy loads the deployed connections again. */
  let inEffect: ReadonlySet<string> = new Set();
  /** Anchors this rerouter added on lo, to remove once no longer needed. */
  let anchors = new Set<string>();
  let pending: { cut: Set<string>; timer: TimerHandle } | undefined;
  let applying: Promise<void> = Promise.resolve();
  let stopped = false;

  const run = async (program: string, args: string[]) => {
    const result = await swanctl.runner(program, args, { env: program === swanctl.binary ? swanctl.env : {}, timeoutMs: MEASURE_COMMAND_TIMEOUT_MS });
    return { ...result, ok: result.code === 0 };
  };
  const swanctlRun = (args: string[]) => run(swanctl.binary, [...args, ...swanctl.uriArgs]);

  const decide = (topology: RerouteTopology) => cutTunnels(topology.tunnels, options.reportOf, decided);
  /** Whether charon must load again: another cut, or anchors left from one no longer in effect. */
  const differs = (cut: ReadonlySet<string>) => !sameSet(cut, inEffect) || (cut.size === 0 && anchors.size > 0);

  async function apply(cut: Set<string>, topology: RerouteTopology): Promise<void> {
    const plan = reroutePlan(topology, selfRootId, cut);
    const own = new Set(plan.tunnels.map((t) => t.name));
    // A tunnel newly cut is ended here at once: its CHILD_SAs' policies would keep its overlays pointed into the dead
    // tunnel until DPD gave up. The probe child loaded below starts it again (the keeping end retries until it answers).
    // Newly: not cut by the last decision (a deploy that loaded its own file meanwhile does not end the probe's SA).
    // `--force` without `--timeout` ends it without waiting for the peer's answer, which cannot come.
    for (const name of [...cut].filter((t) => own.has(t) && !decided.has(t))) await swanctlRun(['--terminate', '--ike', name, '--force']);
    // Anchors before the CHILD_SAs that need them, removed after those that no longer do.
    const wanted = new Set(plan.anchors);
    for (const anchor of wanted) if (!anchors.has(anchor)) await run('ip', ['-4', 'addr', 'replace', anchor, 'dev', 'lo']);
    const path = cut.size === 0 ? files.deployedPath : await files.writeRerouted(reroutedConnections(await files.readDeployed(), plan.tunnels));
    const loaded = await swanctlRun(['--load-conns', '--file', path]);
    if (!loaded.ok) throw new Error(`swanctl --load-conns failed (exit ${loaded.code}): ${(loaded.stderr || loaded.stdout).trim().slice(-300)}`);
    for (const anchor of anchors) if (!wanted.has(anchor)) await run('ip', ['-4', 'addr', 'del', anchor, 'dev', 'lo']);
    const before = inEffect;
    decided = inEffect = cut;
    anchors = wanted;
    log('reroute', {
      cut: [...cut].sort(),
      newlyCut: [...cut].filter((t) => !before.has(t)).sort(),
      restored: [...before].filter((t) => !cut.has(t)).sort(),
      tunnels: plan.tunnels.map((t) => ({ name: t.name, carries: t.children.map((c) => `${c.local.join(',')}<>${c.remote.join(',')}`), probe: t.probe !== undefined })),
      anchors: [...wanted],
    });
  }

  /** The settling time is over: applies the decision if it still holds, or waits for the new one to settle in turn. */
  const settle = (settling: ReadonlySet<string>) => {
    pending = undefined;
    const topology = options.overlay();
    if (stopped || topology === undefined || options.busy()) return;
    const cut = decide(topology);
    if (!sameSet(cut, settling)) return rerouter.update();
    if (!differs(cut)) return;
    applying = applying.then(() => apply(cut, topology)).catch((error: unknown) => log('reroute_failed', { error: String(error) }));
  };

  const rerouter: Rerouter = {
    update() {
      const topology = options.overlay();
      if (stopped || topology === undefined) return;
      const cut = decide(topology);
      if (pending !== undefined && sameSet(pending.cut, cut)) return;
      if (pending !== undefined) clock.clearTimeout(pending.timer);
      pending = differs(cut) ? { cut, timer: clock.setTimeout(() => settle(cut), settleMs) } : undefined;
    },
    deployed() {
      inEffect = new Set();
      rerouter.update();
    },
    stop() {
      stopped = true;
      if (pending !== undefined) clock.clearTimeout(pending.timer);
      pending = undefined;
    },
    inEffect: () => inEffect,
    settled: () => applying,
  };
  return rerouter;
}
