// The IPv4 ranges whose addresses no internet host can have as its own (RFC 6890), each with why, so refusals can say it.
import { blockSize, parsePrefix } from './ipv4.ts';

export interface SpecialRange {
  /** As written, e.g. `127.0.0.0/8`. */
  readonly range: string;
  /** One of its addresses and several, as a sentence names them: `a loopback address`, `loopback addresses`. */
  readonly one: string;
  readonly many: string;
  /** Why, as a clause that reads after either name: `which no other machine can reach`. */
  readonly why: string;
}

const RANGES: ReadonlyArray<SpecialRange & { first: number; end: number }> = [
  {
    range: '0.0.0.0/8',
    one: 'a "this network" address',
    many: '"this network" addresses',
    why: 'which a machine sends from only before it knows its own address',
  },
  { range: '127.0.0.0/8', one: 'a loopback address', many: 'loopback addresses', why: 'which no other machine can reach' },
  { range: '169.254.0.0/16', one: 'a link-local address', many: 'link-local addresses', why: 'which no router forwards beyond the local link' },
  { range: '224.0.0.0/4', one: 'a multicast address', many: 'multicast addresses', why: 'which routers deliver to groups of machines, never to one' },
  // Before 240/4, which holds it: the broadcast address has a reason of its own.
  { range: '255.255.255.255/32', one: 'the broadcast address', many: 'the broadcast address', why: 'which no router forwards beyond the local link' },
  { range: '240.0.0.0/4', one: 'a reserved address', many: 'reserved addresses', why: 'which the internet keeps for future use and does not route' },
].map((r) => {
  const prefix = parsePrefix(r.range)!;
  // First and past-the-end addresses, so the check on every address a topology holds is two comparisons per range.
  return { ...r, first: prefix.base, end: prefix.base + blockSize(prefix.length) };
});

/** The special range that holds the address; undefined for an address an internet host can have. */
export function specialRangeOf(address: number): SpecialRange | undefined {
  return RANGES.find((r) => address >= r.first && address < r.end);
}
