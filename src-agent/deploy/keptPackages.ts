// The deploy packages a node keeps: on disk, those whose configuration is in effect here or may be again (the one a
// rollback goes back to) and those the engine is about to take (stored first, so that a package in effect is always on
// disk); in memory besides, the newest taken, to serve to the neighbours that fetch it from here whatever came of it here.
import { createSerialQueue } from '../../src-shared/async/serialQueue.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { PackageRef } from './deployState.ts';
import type { PackageStore } from './packageStore.ts';

export interface KeptPackages {
  /** Loads the packages stored. */
  start(): Promise<void>;
  /** The package whose configuration is in effect here, if any: what the node enrolls clients on. */
  current(): DeployPackage | undefined;
  /** The package with this digest, if it is kept. */
  find(digest: string): DeployPackage | undefined;
  /** Every package kept (a deploy posted with some parts left out is completed from their parts). */
  all(): DeployPackage[];
  /** Keeps `pkg`, stored, before the engine takes it; `release` must follow, also when this throws. */
  hold(pkg: DeployPackage): Promise<void>;
  /** The engine is done with `pkg` (`taken`: it took it, which makes it the newest); forgets what is no longer in use. */
  release(pkg: DeployPackage, taken: boolean): void;
  /** Forgets the packages no longer in use: once the engine started, or whenever the engine's running package changed. */
  tidy(): void;
  /** Resolves when the writes and removals started so far are done. */
  settled(): Promise<void>;
}

export interface KeptPackagesOptions {
  store: PackageStore;
  /** The packages the engine runs or may run again, and the digest of the one it runs. */
  inUse(): readonly PackageRef[];
  runningDigest(): string | undefined;
  log(event: string, fields: Record<string, unknown>): void;
}

export function createKeptPackages(options: KeptPackagesOptions): KeptPackages {
  const { store, log } = options;
  const packages = new Map<string, DeployPackage>();
  const stored = new Set<string>();
  /** How many times each package is held: the same package may come by two ways at once. */
  const held = new Map<string, number>();
  let newest: string | undefined;
  /** One file operation at a time, in order: a removal never overtakes the write of the same package again. */
  const disk = createSerialQueue();

  function tidy(): void {
    const used = new Set([...options.inUse().map((ref) => ref.digest), ...held.keys()]);
    for (const digest of packages.keys()) if (!used.has(digest) && digest !== newest) packages.delete(digest);
    for (const digest of stored) {
      if (used.has(digest)) continue;
      stored.delete(digest);
      disk(() => store.remove(digest)).catch((error: unknown) => log('deploy_store_problem', { problem: `could not remove the stored package ${digest}: ${String(error)}` }));
    }
  }

  return {
    async start() {
      const loaded = await store.load();
      for (const problem of loaded.problems) log('deploy_store_problem', { problem });
      for (const pkg of loaded.packages) {
        packages.set(pkg.digest, pkg);
        stored.add(pkg.digest);
      }
    },
    current() {
      const running = options.runningDigest();
      return running === undefined ? undefined : packages.get(running);
    },
    find: (digest) => packages.get(digest),
    all: () => [...packages.values()],
    async hold(pkg) {
      held.set(pkg.digest, (held.get(pkg.digest) ?? 0) + 1);
      packages.set(pkg.digest, pkg);
      if (stored.has(pkg.digest)) return;
      await disk(() => store.save(pkg));
      stored.add(pkg.digest);
    },
    release(pkg, taken) {
      const left = (held.get(pkg.digest) ?? 1) - 1;
      if (left > 0) held.set(pkg.digest, left);
      else held.delete(pkg.digest);
      if (taken) newest = pkg.digest;
      tidy();
    },
    tidy,
    settled: () => disk(async () => undefined),
  };
}
