// A bound on how many slow operations (password checks: scrypt on libuv's small thread pool) run at once, with some
// slots kept for privileged callers (sources that logged in before), so a flood of others cannot take them all.

export interface ConcurrencyCap {
  /** A release function when a slot is free to this caller, undefined when not. Only `privileged` callers take the reserved slots. */
  enter(privileged?: boolean): (() => void) | undefined;
  readonly active: number;
}

/** `max` slots in all, `reserved` of them only for privileged callers. */
export function createConcurrencyCap(max: number, reserved = 0): ConcurrencyCap {
  let active = 0;
  return {
    enter(privileged = false) {
      if (active >= (privileged ? max : max - reserved)) return undefined;
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
