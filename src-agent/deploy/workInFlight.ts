// The distribution's work under way: packages being fetched or taken, by digest, and every promise begun, so that a
// neighbour asking meanwhile is served, a second announcement starts nothing, and a stop can wait for all of it.
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';

export interface WorkInFlight {
  /** Marks the package with `digest` in flight while `work` runs; `pkg` resolves to it, or to nothing if a fetch failed. */
  hold(digest: string, pkg: Promise<DeployPackage | undefined>, work: Promise<void>): void;
  has(digest: string): boolean;
  get(digest: string): Promise<DeployPackage | undefined> | undefined;
  /** Counts `promise` as work under way until it settles; returns it unchanged. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** Resolves when the work begun so far is done, failed or not. */
  settled(): Promise<void>;
}

export function createWorkInFlight(): WorkInFlight {
  const packages = new Map<string, Promise<DeployPackage | undefined>>();
  const pending = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    const settled = promise.catch(() => undefined).finally(() => pending.delete(settled));
    pending.add(settled);
    return promise;
  };
  return {
    hold(digest, pkg, work) {
      packages.set(digest, pkg);
      void track(work.finally(() => packages.delete(digest)));
    },
    has: (digest) => packages.has(digest),
    get: (digest) => packages.get(digest),
    track,
    settled: () => Promise.all([...pending]).then(() => undefined),
  };
}
