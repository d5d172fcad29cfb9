// The deploy package a node keeps: the newest the engine took, stored on disk and served to the neighbours that ask.
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { PackageStore } from './packageStore.ts';

export interface KeptPackage {
  /** Loads the stored package, so this node can serve it after a restart. */
  start(): Promise<void>;
  current(): DeployPackage | undefined;
  /** Keeps `pkg` (and stores it) unless the package kept is newer. */
  keep(pkg: DeployPackage): Promise<void>;
}

export interface KeptPackageOptions {
  store: PackageStore;
  log(event: string, fields: Record<string, unknown>): void;
  /** Told when the package kept changes. */
  onKept?: (kept: DeployPackage) => void;
}

export function createKeptPackage(options: KeptPackageOptions): KeptPackage {
  let current: DeployPackage | undefined;
  return {
    async start() {
      const loaded = await options.store.load();
      if (loaded.problem) options.log('deploy_store_problem', { problem: loaded.problem });
      current = loaded.package;
    },
    current: () => current,
    async keep(pkg) {
      if (current && Date.parse(pkg.createdAt) < Date.parse(current.createdAt)) return;
      current = pkg;
      options.onKept?.(pkg);
      await options.store.save(pkg);
    },
  };
}
