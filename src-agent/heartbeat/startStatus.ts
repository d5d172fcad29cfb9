// This node's status book, started: the roots it knew before the start read back and kept as they change, and the
// status route that shows the book.
import path from 'node:path';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import type { AgentLog } from '../agentLog.ts';
import type { Clock } from '../clock.ts';
import type { JsonHandler } from '../wire/route.ts';
import { createKnownRoots, KnownRootsFileSchema } from './knownRoots.ts';
import { createStatusBook } from './statusBook.ts';
import type { StatusBook } from './statusBook.ts';

export interface StatusOptions {
  self: string;
  clock: Pick<Clock, 'now'>;
  intervalMs: number;
  /** Holds the known roots from one run to the next. */
  dataDir: string;
  log: AgentLog;
}

export interface Status {
  book: StatusBook;
  handlers: { status: JsonHandler<'status'> };
  /** Resolves when the known roots written so far are stored. */
  settled(): Promise<void>;
}

export async function startStatus(options: StatusOptions): Promise<Status> {
  const { log } = options;
  const knownRoots = createKnownRoots(jsonStateFile(path.join(options.dataDir, 'known-roots.json'), KnownRootsFileSchema), (error) => log('known_roots_store_failed', { error: String(error) }));
  const remembered = await knownRoots.load();
  if (remembered.problem) log('known_roots_problem', { problem: remembered.problem });
  const book = createStatusBook({
    self: options.self,
    now: options.clock.now,
    intervalMs: options.intervalMs,
    remembered: remembered.roots,
    onRootsChanged: (roots) => knownRoots.keep(roots),
  });
  return { book, handlers: { status: { handle: () => ({ json: book.snapshot() }) } }, settled: () => knownRoots.settled() };
}
