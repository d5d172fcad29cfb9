// The set of message hashes a node has already handled, each kept for a fixed time, with memory bounded.

export interface SeenSetOptions {
  now: () => number;
  /** How long an entry is kept (seed §9.2: ten minutes). */
  ttlMs?: number;
  /**
   * A hard cap (default 250,000 entries, about 25 MB; steady traffic of a 5,000-node overlay keeps under 20,000): past
   * it the oldest entries go early (counted), so even a storm cannot exhaust memory.
   */
  maxEntries?: number;
  /** Entries a previous run kept (`entries()`): a restart must not make what it had seen acceptable again. */
  restored?: ReadonlyArray<readonly [key: string, expiresAt: number]>;
}

export interface SeenSet {
  has(key: string): boolean;
  /** Adds a key for ttlMs; adding a key already present keeps its first expiry. */
  add(key: string): void;
  readonly size: number;
  /** Entries dropped by the cap before their time. */
  readonly evictedEarly: number;
  /** Estimated heap bytes held by the entries (see ENTRY_OVERHEAD_BYTES). */
  approxBytes(): number;
  /** The live entries with their expiry (epoch ms), oldest first: what a restart gives back as `restored`. */
  entries(): Array<[key: string, expiresAt: number]>;
}

export const SEEN_TTL_MS = 600_000;

/**
 * Per entry besides the key's characters, in V8 with 8-byte pointers: the Set's slot (key, chain: 16 bytes) with its
 * share of the bucket array and of the table's doubling slack, the key string's header and alignment (24), and the
 * queue's two slots (key, expiry as a small integer) with the slack between compactions. bench/floodSim.ts checks it
 * against heap growth.
 */
export const ENTRY_OVERHEAD_BYTES = 80;

export function createSeenSet(options: SeenSetOptions): SeenSet {
  const { now, ttlMs = SEEN_TTL_MS, maxEntries = 250_000 } = options;
  const keys = new Set<string>();
  // A FIFO of (key, expiry) in insertion order, which is expiry order (one ttl for all): expired entries are always
  // at its head, so each is found and removed once, however long the set has run.
  let queueKeys: string[] = [];
  let queueExpiries: number[] = [];
  let head = 0;
  // Expiries are kept relative to the set's creation: small integers are stored unboxed, epoch milliseconds are not.
  const base = now();
  let keyChars = 0;
  let evictedEarly = 0;

  const dropHead = () => {
    const key = queueKeys[head]!;
    keys.delete(key);
    keyChars -= key.length;
    head++;
  };

  const compact = () => {
    if (head > 1024 && head * 2 > queueKeys.length) {
      queueKeys = queueKeys.slice(head);
      queueExpiries = queueExpiries.slice(head);
      head = 0;
    }
  };

  const sweep = (t: number) => {
    while (head < queueKeys.length && queueExpiries[head]! <= t - base) dropHead();
    compact();
  };

  const insert = (key: string, expiresAt: number) => {
    keys.add(key);
    queueKeys.push(key);
    queueExpiries.push(expiresAt - base);
    keyChars += key.length;
  };
  // Expiry order is what the queue relies on; a file from a previous run is sorted rather than trusted to be.
  const restored = new Map((options.restored ?? []).filter(([, at]) => at > base && at <= base + ttlMs));
  for (const [key, at] of [...restored].sort((a, b) => a[1] - b[1]).slice(-maxEntries)) insert(key, at);

  return {
    has(key) {
      sweep(now());
      return keys.has(key);
    },
    add(key) {
      const t = now();
      sweep(t);
      if (keys.has(key)) return;
      insert(key, t + ttlMs);
      while (keys.size > maxEntries) {
        dropHead();
        evictedEarly++;
      }
      compact();
    },
    get size() {
      return keys.size;
    },
    get evictedEarly() {
      return evictedEarly;
    },
    approxBytes: () => keys.size * ENTRY_OVERHEAD_BYTES + keyChars,
    entries() {
      sweep(now());
      const live: Array<[string, number]> = [];
      for (let i = head; i < queueKeys.length; i++) live.push([queueKeys[i]!, queueExpiries[i]! + base]);
      return live;
    },
  };
}
