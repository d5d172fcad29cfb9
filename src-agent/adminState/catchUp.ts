// When a root asks a neighbour root which administrator state it keeps: on the first heartbeat from it since this root
// started, and on the first after a silence (it, or this root, was down or cut off), when an `admin_state` flooded
// meanwhile may have passed either by. Otherwise the flood brings every state.

/** Heartbeats missed in a row that make a silence. */
export const SILENCE_INTERVALS = 3;

export interface CatchUp {
  /** A heartbeat from `node` (which beats every `intervalMs`) heard at `at`: true when its state is worth asking for. */
  heard(node: string, at: number, intervalMs: number): boolean;
}

/** Asked only of neighbour roots: the book holds at most as many entries as the overlay has roots. */
export function createCatchUp(): CatchUp {
  const lastHeard = new Map<string, number>();
  return {
    heard(node, at, intervalMs) {
      const last = lastHeard.get(node);
      lastHeard.set(node, at);
      return last === undefined || at - last > SILENCE_INTERVALS * intervalMs;
    },
  };
}
