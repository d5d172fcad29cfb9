// Reads process facts from /proc: whether a pid is a live process (zombies count as dead), its group, start time, environment.
import { readdirSync, readFileSync } from 'node:fs';

/** Fields of /proc/PID/stat after the parenthesised command name: [0] state, [2] process group, [19] start time. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** True while `pid` is a process that has not exited; a zombie waiting to be reaped has exited. */
export function isLive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** When the process started (clock ticks since boot), to tell a process from a later one with the same pid. */
export function startTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

export function allPids(): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
}

/** Live processes whose process group is `pgid`. */
export function liveGroupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const fields = statFields(pid);
    return fields !== null && fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X';
  });
}

/** The process's environment as NAME=value strings; empty when unreadable (gone, a zombie, a kernel thread). */
export function environment(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  } catch {
    return [];
  }
}

/**
 * Blocks until none of `pids` is live or `timeoutMs` passed; returns those still live. Synchronous on purpose: exit and
 * signal handlers cannot wait for anything else, and a SIGKILLed process needs a few milliseconds to be gone.
 */
export function waitUntilDeadSync(pids: readonly number[], timeoutMs: number): number[] {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = pids.filter(isLive);
    if (live.length === 0 || Date.now() >= deadline) return live;
    Atomics.wait(pause, 0, 0, 5);
  }
}
