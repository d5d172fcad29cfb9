// The administrator's state at one root, as a replica of every other root's: the newest kept, a state put here stamped
// and announced (`admin_state`), an announced or newer one fetched from the neighbours, and a neighbour asked which it
// keeps when this root may have missed an announcement.
import { isNewerState } from '../../src-shared/protocol/adminState.ts';
import type { AdminState, AdminStateHead } from '../../src-shared/protocol/adminState.ts';
import { ADMIN_STATE_VERSION } from '../../src-shared/protocol/adminState.ts';
import { createWorkInFlight } from '../../src-shared/async/workInFlight.ts';
import { askOrder } from '../wire/askNeighbours.ts';
import { Refusal } from '../wire/refusal.ts';
import type { StateCopy } from './stateCopy.ts';
import { holdsState, stateCopy } from './stateCopy.ts';

/** States fetched at once at most: they come one a deploy, and each may weigh the whole bound. */
export const MAX_STATE_FETCHES = 2;

export interface StateReplicaOptions {
  rootId: number;
  maxBytes: number;
  now(): number;
  /** What the last run kept. */
  restored: StateCopy | undefined;
  /** Floods the head of a state put here. */
  announce(head: AdminStateHead): void;
  /** Fetches the state of `head` from these neighbours in turn. */
  fetch(head: AdminStateHead, order: readonly string[]): Promise<{ copy: StateCopy } | { failed: string }>;
  /** Which state a neighbour keeps; throws when it does not say. */
  askHead(node: string): Promise<AdminStateHead | null>;
  /** The neighbours that are roots (leaves keep no state). */
  neighbourRoots(): readonly string[];
  /** A newer state is kept: write it. */
  changed(): void;
  log(event: string, fields: Record<string, unknown>): void;
}

export interface StateReplica {
  current(): StateCopy | undefined;
  /** A state from the application: kept stamped with this root and its clock, and announced; refused past the bound. */
  put(state: AdminState): Promise<{ head: AdminStateHead; kept: 'new' | 'same' }>;
  /** Another root announced a state: fetched from `from` first when it is newer than the one kept. */
  announced(head: AdminStateHead, from: string | null): void;
  /** Asks `node` which state it keeps, and fetches it from there when it is newer. */
  catchUp(node: string): void;
  /** The state with that digest: the one kept, or the one being fetched once it is. */
  find(digest: string): Promise<StateCopy | undefined>;
  /** Resolves when the fetches started so far are done. */
  settled(): Promise<void>;
}

export function createStateReplica(options: StateReplicaOptions): StateReplica {
  const { log } = options;
  let current = options.restored;
  const fetching = createWorkInFlight<StateCopy>();

  /** Keeps `copy` when it is newer than the one kept (a fetch may end after a newer one was put). */
  const take = (copy: StateCopy, via: string): boolean => {
    if (!isNewerState(copy.head, current?.head)) return false;
    current = copy;
    options.changed();
    log('admin_state_kept', { topologyId: copy.head.topologyId, storedBy: copy.head.storedBy, size: copy.head.size, via });
    return true;
  };

  const fetchAndTake = (head: AdminStateHead, order: readonly string[]) => {
    if (fetching.has(head.digest) || !isNewerState(head, current?.head)) return;
    if (head.size > options.maxBytes) return log('admin_state_ignored', { topologyId: head.topologyId, reason: `${head.size} bytes, more than the ${options.maxBytes} kept` });
    if (fetching.size() >= MAX_STATE_FETCHES) return log('admin_state_ignored', { topologyId: head.topologyId, reason: `${fetching.size()} states are being fetched already` });
    const fetched = options.fetch(head, order).then((result) => {
      if ('failed' in result) {
        log('admin_state_fetch_failed', { topologyId: head.topologyId, reason: result.failed });
        return undefined;
      }
      take(result.copy, order[0] ?? 'unknown');
      return result.copy;
    });
    fetching.hold(head.digest, fetched, fetched);
  };

  /** `first` asked first, then the other neighbour roots. */
  const orderFrom = (first: string | null) => askOrder(first, options.neighbourRoots());

  return {
    current: () => current,

    async put(state) {
      // Later than the state kept, whatever this root's clock did meanwhile: a put is always the newest here.
      const storedAt = Math.max(options.now(), (current?.head.storedAt ?? -1) + 1);
      const made = await stateCopy({ version: ADMIN_STATE_VERSION, storedAt, storedBy: options.rootId, state }, options.maxBytes);
      if ('problem' in made) throw new Refusal('too_large', made.problem);
      if (current !== undefined && holdsState(current, state)) return { head: current.head, kept: 'same' };
      take(made.copy, 'application');
      options.announce(made.copy.head);
      return { head: made.copy.head, kept: 'new' };
    },

    announced(head, from) {
      fetchAndTake(head, orderFrom(from));
    },

    catchUp(node) {
      const asked = options.askHead(node).then(
        (head) => {
          if (head !== null) fetchAndTake(head, orderFrom(node));
        },
        (error: unknown) => log('admin_state_head_failed', { node, error: error instanceof Error ? error.message : String(error) }),
      );
      void fetching.track(asked);
    },

    async find(digest) {
      if (current?.head.digest === digest) return current;
      return fetching.get(digest);
    },

    settled: () => fetching.settled(),
  };
}
