// Finds and removes what a lab run left on the machine (namespaces, processes, its folder), and sweeps runs whose owner died.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allPids, environment, isLive, startTime, waitUntilDeadSync } from './procfs.ts';
import { LAB_ENV_MARKER, parseNamespace, parseRunId } from './runId.ts';
import { binary, runSync } from './run.ts';

/** Parent folder of every lab run's folder. */
export const LAB_BASE_DIR = join(tmpdir(), 'raincoat-lab');
const OWNER_FILE = 'owner.json';

export interface Residue {
  namespaces: string[];
  pids: number[];
}

export function labDir(runId: string): string {
  return join(LAB_BASE_DIR, runId);
}

/** Every namespace name on the machine (`ip netns list` prints "name (id: n)"). */
export function listNamespaces(): string[] {
  const out = runSync([binary('ip'), 'netns', 'list']).stdout;
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/** Pids of live processes whose environment carries the lab marker, by run id. */
function markedProcesses(): Map<string, number[]> {
  const byRun = new Map<string, number[]>();
  const needle = `${LAB_ENV_MARKER}=`;
  for (const pid of allPids()) {
    const runId = environment(pid).find((kv) => kv.startsWith(needle))?.slice(needle.length);
    if (runId !== undefined && isLive(pid)) byRun.set(runId, [...(byRun.get(runId) ?? []), pid]);
  }
  return byRun;
}

/** What of run `runId` still exists: its namespaces, and its processes (marked ones and any inside its namespaces). */
export function findResidue(runId: string): Residue {
  const namespaces = listNamespaces().filter((ns) => parseNamespace(ns)?.runId === runId);
  const pids = new Set(markedProcesses().get(runId) ?? []);
  for (const ns of namespaces) for (const pid of pidsInNamespace(ns)) if (isLive(pid)) pids.add(pid);
  return { namespaces, pids: [...pids].sort((a, b) => a - b) };
}

function pidsInNamespace(ns: string): number[] {
  const r = runSync([binary('ip'), 'netns', 'pids', ns], { allowFailure: true });
  return r.stdout.split(/\s+/).filter((s) => /^\d+$/.test(s)).map(Number);
}

const DEATH_TIMEOUT_MS = 2_000;

/**
 * Kills every process of the run and waits until they are gone, then deletes its namespaces and (unless `keepDir`) its
 * folder. Synchronous, so exit handlers can use it. Returns what could not be removed (normally nothing).
 */
export function purgeRun(runId: string, options: { keepDir?: boolean } = {}): Residue {
  const { namespaces, pids } = findResidue(runId);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  waitUntilDeadSync(pids, DEATH_TIMEOUT_MS);
  for (const ns of namespaces) runSync([binary('ip'), 'netns', 'del', ns], { allowFailure: true });
  if (options.keepDir !== true) rmSync(labDir(runId), { recursive: true, force: true });
  return findResidue(runId);
}

/** Records who owns the run in its folder, so a sweeper can tell a live owner from a reused pid. */
export function writeOwnerRecord(runId: string, pid: number): void {
  writeFileSync(join(labDir(runId), OWNER_FILE), JSON.stringify({ pid, startTime: startTime(pid) }));
}

/** True while the process that created run `runId` is alive (and is still the same process, not a reused pid). */
function ownerAlive(runId: string): boolean {
  const parsed = parseRunId(runId);
  if (parsed === null) return false;
  const started = isLive(parsed.ownerPid) ? startTime(parsed.ownerPid) : null;
  if (started === null) return false;
  const recordPath = join(labDir(runId), OWNER_FILE);
  if (!existsSync(recordPath)) return true;
  try {
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { startTime?: unknown };
    return typeof record.startTime !== 'string' || record.startTime === started;
  } catch {
    return true; // a half-written record: its owner is most likely writing it right now
  }
}

/** Removes everything left by runs of this harness whose owning process is gone. Returns the run ids it swept. */
export function sweepStaleLabs(): string[] {
  const runs = new Set<string>();
  for (const ns of listNamespaces()) {
    const parsed = parseNamespace(ns);
    if (parsed !== null) runs.add(parsed.runId);
  }
  for (const runId of markedProcesses().keys()) runs.add(runId);
  if (existsSync(LAB_BASE_DIR)) for (const entry of readdirSync(LAB_BASE_DIR)) if (parseRunId(entry) !== null) runs.add(entry);
  const swept = [...runs].filter((runId) => !ownerAlive(runId));
  for (const runId of swept) purgeRun(runId);
  return swept;
}
