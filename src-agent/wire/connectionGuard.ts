// Which connections the agent keeps when more come than it should hold: caps on all of them, on those without a
// control-CA certificate (in all and per source address) and on each certified node's; pure bookkeeping, applied to the
// server's sockets by serverConnections.ts.
//
// An address holding its share of uncertified connections gets no more until one of them goes. When another cap is
// reached, a new connection is not simply refused, or an attacker's idle sockets would lock out a neighbour and the
// administrator: an older one makes room, from the address that holds the most uncertified connections, the oldest of
// those still in their TLS handshake or else of those idle without a certificate. A certified connection (a neighbour's)
// never makes room for an uncertified one, and one with a request in progress never does: the new one is refused instead.

export interface ConnectionLimits {
  /** Every connection: each holds a file descriptor. */
  total: number;
  /** Connections without a control-CA certificate, those still in their TLS handshake included: the application, client VMs, attackers. */
  uncertified: number;
  /** Of those, from one source address: an attacker on a few addresses cannot take them all. */
  uncertifiedPerAddress: number;
  /** Certified connections of one node: a neighbour's pool holds 4, its flood stream one more; a stolen certificate gets no more. */
  perNode: number;
}

/**
 * `total` is sized for a root with its most leaves (504) and a few dozen tunnel peers, each holding a flood stream and a
 * request or two, with room for a deploy's burst of package fetches. Uncertified connections are the application's and
 * enrolling client VMs', each brief; they are also the only kind an attacker without a certificate can open, and
 * memory taken by TLS connections is not all given back: after attacks holding 128 and 512 of them idle, an agent stayed
 * 11 and 58 MiB above its idle size. 256 keeps that to some 25 MiB.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { total: 4096, uncertified: 256, uncertifiedPerAddress: 32, perNode: 16 };

/**
 * The limits held to what the process may open: half its open-file limit for connections, the rest for its files,
 * its own connections to neighbours and the programs it runs. Unknown (not Linux): as configured.
 */
export function withinOpenFiles(limits: ConnectionLimits, openFiles: number | undefined): ConnectionLimits {
  if (openFiles === undefined) return limits;
  const total = Math.min(limits.total, Math.floor(openFiles / 2));
  const uncertified = Math.min(limits.uncertified, total);
  return { total, uncertified, uncertifiedPerAddress: Math.min(limits.uncertifiedPerAddress, uncertified), perNode: limits.perNode };
}

export interface ConnectionTimeouts {
  /** From accept to a finished TLS handshake, whatever the peer trickles meanwhile. */
  handshakeMs: number;
  /** An uncertified connection with no request in progress (none sent yet, or kept alive after one). */
  idleMs: number;
}

/** What to do with a new connection: keep it or not, and which older ones to close to make room for it. */
export interface Admission<C> {
  admitted: boolean;
  evicted: C[];
}

type State = 'handshake' | 'uncertified' | 'certified';

interface Entry {
  address: string;
  state: State;
  node: string | undefined;
  /** Requests in progress. */
  busy: number;
  /** When it entered its state, or (uncertified) last became idle. */
  since: number;
}

export class ConnectionGuard<C> {
  readonly #limits: ConnectionLimits;
  readonly #timeouts: ConnectionTimeouts;
  readonly #entries = new Map<C, Entry>();
  /** In their handshake, oldest first (a Set keeps insertion order). */
  readonly #handshaking = new Set<C>();
  /** Uncertified without a request in progress, longest idle first. */
  readonly #idle = new Set<C>();
  /** Uncertified ones (handshaking included) by source address, oldest first. */
  readonly #byAddress = new Map<string, Set<C>>();
  /** Addresses by how many uncertified connections they hold, in the order they came to hold that many. */
  readonly #addressesBySize = new Map<number, Set<string>>();
  readonly #byNode = new Map<string, number>();
  #uncertified = 0;

  constructor(limits: ConnectionLimits, timeouts: ConnectionTimeouts) {
    this.#limits = limits;
    this.#timeouts = timeouts;
  }

  /** True when a connection from `address` would be refused for its address alone: checked before one is even built. */
  isFull(address: string): boolean {
    return (this.#byAddress.get(address)?.size ?? 0) >= this.#limits.uncertifiedPerAddress;
  }

  /** A connection just accepted from `address`; the evicted ones are forgotten here and are the caller's to close. */
  admit(connection: C, address: string, now: number): Admission<C> {
    const evicted: C[] = [];
    if (this.isFull(address)) return { admitted: false, evicted };
    if (this.#entries.size >= this.#limits.total || this.#uncertified >= this.#limits.uncertified) {
      const victim = this.#heaviestVictim();
      if (victim === undefined) return { admitted: false, evicted };
      this.#forget(victim);
      evicted.push(victim);
    }
    this.#entries.set(connection, { address, state: 'handshake', node: undefined, busy: 0, since: now });
    this.#handshaking.add(connection);
    this.#joinAddress(address, connection);
    this.#uncertified++;
    return { admitted: true, evicted };
  }

  /**
   * Its TLS handshake is done, with a control-CA certificate naming `node` or without one. False: close it (it was
   * evicted meanwhile, or its node already holds as many connections as it may).
   */
  handshaken(connection: C, node: string | undefined, now: number): boolean {
    const entry = this.#entries.get(connection);
    if (entry?.state !== 'handshake') return false;
    this.#handshaking.delete(connection);
    entry.since = now;
    if (node === undefined) {
      entry.state = 'uncertified';
      this.#idle.add(connection);
      return true;
    }
    const held = this.#byNode.get(node) ?? 0;
    if (held >= this.#limits.perNode) {
      this.#forget(connection);
      return false;
    }
    this.#leaveAddress(entry.address, connection);
    this.#uncertified--;
    entry.state = 'certified';
    entry.node = node;
    this.#byNode.set(node, held + 1);
    return true;
  }

  requestStarted(connection: C): void {
    const entry = this.#entries.get(connection);
    if (entry?.state !== 'uncertified') return;
    if (entry.busy++ === 0) this.#idle.delete(connection);
  }

  requestEnded(connection: C, now: number): void {
    const entry = this.#entries.get(connection);
    if (entry?.state !== 'uncertified' || entry.busy === 0) return;
    if (--entry.busy > 0) return;
    entry.since = now;
    this.#idle.add(connection);
  }

  closed(connection: C): void {
    this.#forget(connection);
  }

  /** Connections past their handshake or idle deadline, forgotten here and the caller's to close. */
  expired(now: number): C[] {
    const out: C[] = [];
    for (const [set, ms] of [
      [this.#handshaking, this.#timeouts.handshakeMs],
      [this.#idle, this.#timeouts.idleMs],
    ] as const) {
      // Both sets are in the order their deadlines fall: stop at the first still within it.
      for (const connection of set) {
        if (now - this.#entries.get(connection)!.since < ms) break;
        out.push(connection);
      }
    }
    for (const connection of out) this.#forget(connection);
    return out;
  }

  /**
   * The oldest handshaking connection of the heaviest address that has one, or else the longest idle of the heaviest
   * that has one. Sizes go no higher than the per-address cap, so this looks at a few dozen sizes, and past an address
   * only when all its connections have requests in progress.
   */
  #heaviestVictim(): C | undefined {
    for (let size = this.#limits.uncertifiedPerAddress; size > 0; size--) {
      const addresses = this.#addressesBySize.get(size);
      if (addresses === undefined) continue;
      for (const state of [this.#handshaking, this.#idle]) {
        for (const address of addresses) {
          const victim = first(this.#byAddress.get(address)!, (c) => state.has(c));
          if (victim !== undefined) return victim;
        }
      }
    }
    return undefined;
  }

  #joinAddress(address: string, connection: C): void {
    let set = this.#byAddress.get(address);
    if (set === undefined) {
      set = new Set();
      this.#byAddress.set(address, set);
    }
    set.add(connection);
    this.#resize(address, set.size - 1, set.size);
  }

  #leaveAddress(address: string, connection: C): void {
    const set = this.#byAddress.get(address);
    if (set === undefined || !set.delete(connection)) return;
    this.#resize(address, set.size + 1, set.size);
    if (set.size === 0) this.#byAddress.delete(address);
  }

  #resize(address: string, from: number, to: number): void {
    const before = this.#addressesBySize.get(from);
    before?.delete(address);
    if (before?.size === 0) this.#addressesBySize.delete(from);
    if (to === 0) return;
    const after = this.#addressesBySize.get(to) ?? new Set<string>();
    after.add(address);
    this.#addressesBySize.set(to, after);
  }

  #forget(connection: C): void {
    const entry = this.#entries.get(connection);
    if (entry === undefined) return;
    this.#entries.delete(connection);
    this.#handshaking.delete(connection);
    this.#idle.delete(connection);
    if (entry.state === 'certified') {
      const held = this.#byNode.get(entry.node!)! - 1;
      if (held === 0) this.#byNode.delete(entry.node!);
      else this.#byNode.set(entry.node!, held);
    } else {
      this.#leaveAddress(entry.address, connection);
      this.#uncertified--;
    }
  }
}

function first<C>(set: Iterable<C>, accept: (c: C) => boolean = () => true): C | undefined {
  for (const c of set) if (accept(c)) return c;
  return undefined;
}
