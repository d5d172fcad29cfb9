// What writing rendered files into a folder would do, decided from what the folder holds and what render recorded there: pure.

/** A folder as render finds it: every file in it (`/`-separated paths, the manifest left out), and what the manifest records. */
export interface OutputFolder {
  existing: readonly string[];
  /** null: no manifest, so no render wrote here. */
  recorded: readonly string[] | null;
}

export interface OutputPlan {
  /** Every file to write, in the order given. */
  write: string[];
  /** How many of `write` do not exist yet. */
  created: number;
  /** Files an earlier render wrote that are no longer wanted: the only files render ever removes. */
  remove: string[];
  /** Top-level folders render keeps nothing in (a node that left the topology): gone, unless `kept` holds files in them. */
  emptied: string[];
  /** Files render did not write inside `emptied` folders: left where they are, with their folder. */
  kept: string[];
}

export type PlannedOutput = { ok: true; plan: OutputPlan } | { ok: false; reason: string };

const top = (path: string) => path.split('/')[0]!;
const listed = (paths: readonly string[]) => `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;

/** Why render may not write into `folder` whatever it renders (it holds files and no render wrote there), or null. */
export function foreignFolder(folder: OutputFolder): string | null {
  if (folder.recorded !== null || folder.existing.length === 0) return null;
  return `holds files that no render wrote (${listed([...folder.existing].sort())}); render into a new or empty folder`;
}

/**
 * Refuses a folder that holds files when no render wrote there, and a file render would write over that it did not
 * write; otherwise plans to write `wanted`, remove what an earlier render wrote and `wanted` lacks, and nothing else.
 */
export function planOutput(folder: OutputFolder, wanted: readonly string[]): PlannedOutput {
  const notRenders = foreignFolder(folder);
  if (notRenders !== null) return { ok: false, reason: notRenders };
  const recorded = new Set(folder.recorded);
  const existing = new Set(folder.existing);
  const foreign = folder.existing.filter((path) => !recorded.has(path));
  const wantedSet = new Set(wanted);
  const overwritten = foreign.filter((path) => wantedSet.has(path)).sort();
  if (overwritten.length > 0) return { ok: false, reason: `render would write over ${listed(overwritten)}, which no render wrote; move ${overwritten.length === 1 ? 'it' : 'them'} away first` };

  const remove = [...recorded].filter((path) => !wantedSet.has(path) && existing.has(path)).sort();
  const keptTops = new Set(wanted.filter((path) => path.includes('/')).map(top));
  const emptied = [...new Set(remove.filter((path) => path.includes('/')).map(top))].filter((dir) => !keptTops.has(dir)).sort();
  const emptiedSet = new Set(emptied);
  const kept = foreign.filter((path) => emptiedSet.has(top(path))).sort();
  return { ok: true, plan: { write: [...wanted], created: wanted.filter((path) => !existing.has(path)).length, remove, emptied, kept } };
}
