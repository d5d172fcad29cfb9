// Who holds the administrator lock, read from the reason a root gives when it refuses a login: the agent names the holder
// in words only (src-agent/administrator/lockMachine.ts), and the application shows who and where.
import { rootNodeName } from '../../../src-shared/plan/nodeNames.ts';

export interface LockHolder {
  /** The administrator's user name, when the reason gives it. */
  user?: string;
  /** The root where that administrator logged in, e.g. `root-2`. */
  root: string;
  /** True for a session; false for a login still taking the lock (it won a race against ours). */
  established: boolean;
}

/** The agent quotes the name without escaping it: what lies between the first and the last quote before the rest. */
const USER = '"(.*)"';
/** Each sentence the lock refuses with, and what it says about the holder. */
const SENTENCES: { pattern: RegExp; established: boolean }[] = [
  { pattern: new RegExp(`administrator ${USER} is logged in at root (\\d+)`), established: true },
  { pattern: new RegExp(`root (\\d+) has the lower id and is logging in administrator ${USER} at the same time`), established: false },
  { pattern: new RegExp(`administrator ${USER} is logging in at root (\\d+)`), established: false },
];

/** The holder a refusal names; undefined for a refusal that is not about the lock (a timeout, an unreadable credential). */
export function lockHolder(reason: string): LockHolder | undefined {
  for (const { pattern, established } of SENTENCES) {
    const match = pattern.exec(reason);
    if (!match) continue;
    // The root id comes first or second depending on the sentence; the user is the quoted part.
    const [rootId, user] = /^\d+$/.test(match[1]!) ? [match[1]!, match[2]] : [match[2]!, match[1]];
    return { ...(user === undefined ? {} : { user }), root: rootNodeName(Number(rootId)), established };
  }
  return undefined;
}
