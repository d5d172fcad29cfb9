// A process's memory as the kernel counts it, from /proc/PID/status: what the benchmarks report of their agents.
import { readFileSync } from 'node:fs';

/** `VmRSS`: resident, the Node binary's shared pages included; `RssAnon`: the private (anonymous) part of it. */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'RssAnon'): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
}
