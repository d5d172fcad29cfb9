// Which refused logins a root records: a few a minute from each address and a few more from all addresses together, the
// rest counted and told with the next one recorded from that address. A guesser can then neither fill the trail nor make
// every root carry a flooded message per guess; the agent's login limits already keep the guesses themselves few.
import { createOriginBudget } from '../flood/originBudget.ts';

export interface RefusalRecordsOptions {
  now: () => number;
  /** Refusals recorded from one address at once, and per second after (the origin budget's burst and rate). */
  perAddress?: { burst: number; perSecond: number };
  /** The same over all addresses together. */
  overall?: { burst: number; perSecond: number };
  /** Addresses whose unrecorded refusals are counted at most; past it the longest unheard is forgotten. */
  maxAddresses?: number;
}

export type RefusalVerdict = { record: true; alsoRefused: number } | { record: false };

export interface RefusalRecords {
  /** Whether to record a refusal from `address`; when so, how many from it went unrecorded before it. */
  admit(address: string): RefusalVerdict;
  /** Counts a refusal from `address` that is not recorded on its own (told with the next one recorded). */
  skip(address: string): void;
}

/** A typo or two and a retry are all recorded; a guesser from one address, one refusal a minute. */
const PER_ADDRESS = { burst: 3, perSecond: 1 / 60 };
/** Guessers from many addresses: six refusals a minute in all, so the trail's share of refused logins lasts hours. */
const OVERALL = { burst: 20, perSecond: 1 / 10 };
const MAX_ADDRESSES = 1_024;
const ALL = 'all';

export function createRefusalRecords(options: RefusalRecordsOptions): RefusalRecords {
  const { now, perAddress = PER_ADDRESS, overall = OVERALL, maxAddresses = MAX_ADDRESSES } = options;
  const byAddress = createOriginBudget({ now, ...perAddress, maxOrigins: maxAddresses });
  const all = createOriginBudget({ now, ...overall });
  const unrecorded = new Map<string, number>();

  const skip = (address: string, missed = unrecorded.get(address) ?? 0) => {
    // Re-inserted last: the map's first key is the address heard from longest ago.
    unrecorded.delete(address);
    unrecorded.set(address, missed + 1);
    if (unrecorded.size > maxAddresses) unrecorded.delete(unrecorded.keys().next().value!);
  };

  return {
    admit(address) {
      const missed = unrecorded.get(address) ?? 0;
      if (!(byAddress.take(address) && all.take(ALL))) return (skip(address, missed), { record: false });
      unrecorded.delete(address);
      return { record: true, alsoRefused: missed };
    },
    skip: (address) => skip(address),
  };
}
