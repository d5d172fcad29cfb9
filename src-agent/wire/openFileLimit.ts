// The process's open-file limit as Linux reports it (Node raises the soft limit to the hard one at start): what the
// agent's connection caps are held within (connectionGuard.ts).
import { readFile } from 'node:fs/promises';

/** The soft limit on open files; undefined where /proc does not say (not Linux) or says "unlimited". */
export async function openFileLimit(limitsFile = '/proc/self/limits'): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(limitsFile, 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+)\s/m.exec(text)?.[1];
  return soft === undefined ? undefined : Number(soft);
}
