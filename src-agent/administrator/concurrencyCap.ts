// A bound on how many slow operations (password checks: scrypt on libuv's small thread pool) run at once.

export interface ConcurrencyCap {
  /** A release function when a slot is free, undefined when all are taken. */
  enter(): (() => void) | undefined;
  readonly active: number;
}

export function createConcurrencyCap(max: number): ConcurrencyCap {
  let active = 0;
  return {
    enter() {
      if (active >= max) return undefined;
      active++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
      };
    },
    get active() {
      return active;
    },
  };
}
