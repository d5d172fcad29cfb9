// Where this node keeps the next message sequence number it may use, so ids stay unique across restarts.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { SeqStore } from '../flood/seqCounter.ts';

/**
 * Synchronous because the counter reserves a block before handing out its first number; it writes once per block
 * (a thousand messages), so the cost is negligible. A missing file starts at 1; an unreadable one is an error.
 */
export function messageSeqFile(dataDir: string): SeqStore {
  const file = path.join(dataDir, 'message-seq.json');
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const value = (JSON.parse(text) as { next?: unknown }).next;
      if (typeof value !== 'number') throw new Error(`${file}: expected {"next": <number>}`);
      return value;
    },
    save(next) {
      const temporary = `${file}.tmp-${process.pid}`;
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify({ next }));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
    },
  };
}
