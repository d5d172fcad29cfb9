// Work under way for things announced and fetched (a deploy package, the administrator's state): what is being fetched or
// taken, by digest, and every promise begun, so that a neighbour asking meanwhile is served, a second announcement
// starts nothing, and a stop can wait for all of it.

export interface WorkInFlight<T> {
  /** Marks the thing with `digest` in flight while `work` runs; `value` resolves to it, or to nothing if a fetch failed. */
  hold(digest: string, value: Promise<T | undefined>, work: Promise<unknown>): void;
  has(digest: string): boolean;
  get(digest: string): Promise<T | undefined> | undefined;
  /** How many things are held in flight. */
  size(): number;
  /** Counts `promise` as work under way until it settles; returns it unchanged. */
  track<P>(promise: Promise<P>): Promise<P>;
  /** Resolves when the work begun so far, and any begun by it meanwhile, is done, failed or not. */
  settled(): Promise<void>;
}

export function createWorkInFlight<T>(): WorkInFlight<T> {
  const held = new Map<string, Promise<T | undefined>>();
  const pending = new Set<Promise<unknown>>();
  const track = <P>(promise: Promise<P>): Promise<P> => {
    const settled = promise.catch(() => undefined).finally(() => pending.delete(settled));
    pending.add(settled);
    return promise;
  };
  return {
    hold(digest, value, work) {
      held.set(digest, value);
      void track(work.finally(() => held.delete(digest)));
    },
    has: (digest) => held.has(digest),
    get: (digest) => held.get(digest),
    size: () => held.size,
    track,
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
