// Names of a lab run: a per-process, per-lab id that prefixes every namespace, so runs never collide and a sweeper can find its leftovers.

/** Every namespace the harness creates starts with this; nothing else on the machine should. */
export const LAB_NAME_PREFIX = 'rcl';
/** Environment variable set on every daemon a lab starts, holding the run id: how leftover processes are found. */
export const LAB_ENV_MARKER = 'RAINCOAT_LAB_RUN';
/** Linux limit for interface names (IFNAMSIZ - 1). */
export const MAX_IFNAME = 15;

const RUN_ID = new RegExp(`^${LAB_NAME_PREFIX}([0-9a-z]+)-([0-9a-z]{4})$`);
const NS_NAME = new RegExp(`^(${LAB_NAME_PREFIX}[0-9a-z]+-[0-9a-z]{4})-([a-z0-9][a-z0-9-]*)$`);
const LOCAL_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** `rcl<owner pid, base 36>-<4 random base-36 characters>`, e.g. `rcl7ps-k3j9`. */
export function makeRunId(ownerPid: number, random: () => number = Math.random): string {
  let tag = '';
  for (let i = 0; i < 4; i++) tag += Math.floor(random() * 36).toString(36);
  return `${LAB_NAME_PREFIX}${ownerPid.toString(36)}-${tag}`;
}

/** The owner's pid of a run id, or null if the text is not one. */
export function parseRunId(runId: string): { ownerPid: number } | null {
  const m = RUN_ID.exec(runId);
  return m?.[1] === undefined ? null : { ownerPid: parseInt(m[1], 36) };
}

/** The run id and local name of a namespace the harness made, or null for any other namespace. */
export function parseNamespace(ns: string): { runId: string; local: string } | null {
  const m = NS_NAME.exec(ns);
  return m?.[1] === undefined || m[2] === undefined ? null : { runId: m[1], local: m[2] };
}

export function namespaceName(runId: string, local: string): string {
  if (!LOCAL_NAME.test(local)) throw new Error(`lab: host name "${local}" must match ${LOCAL_NAME}`);
  return `${runId}-${local}`;
}

/** A free interface name (≤ 15 characters) for `wanted` among `taken`: `wanted` itself, else with a counter. */
export function freeIfName(wanted: string, taken: ReadonlySet<string>): string {
  if (!LOCAL_NAME.test(wanted)) throw new Error(`lab: interface name "${wanted}" must match ${LOCAL_NAME}`);
  const base = wanted.slice(0, MAX_IFNAME);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = wanted.slice(0, MAX_IFNAME - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
