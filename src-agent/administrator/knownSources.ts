// The source addresses that logged in successfully lately, most recent kept: they draw on the share of password
// checks that guessers from elsewhere cannot use up.

export interface KnownSources {
  has(source: string): boolean;
  /** Remembers a source a login succeeded from, forgetting the least recent past the bound. */
  add(source: string): void;
  readonly size: number;
}

/**
 * In memory only, so a restart forgets them and the first login after one draws on the general share: the list is a
 * hint for sharing out checks that the next login refills, not state worth a file written at every login.
 */
export function createKnownSources(max = 16): KnownSources {
  // Set order is least recently successful first.
  const sources = new Set<string>();
  return {
    has: (source) => sources.has(source),
    add(source) {
      sources.delete(source);
      sources.add(source);
      while (sources.size > max) sources.delete(sources.values().next().value!);
    },
    get size() {
      return sources.size;
    },
  };
}
