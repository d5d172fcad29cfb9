// A log file that cannot grow without bound: past its limit it becomes `<file>.1` (replacing the one before) and a new
// file begins, so the sandbox's hundreds of agents keep at most twice the limit each on the user's disk.
import { createWriteStream, openSync, renameSync, statSync } from 'node:fs';
import type { WriteStream } from 'node:fs';

export interface BoundedLogFile {
  write(line: string): void;
  close(): Promise<void>;
}

export function openBoundedLogFile(file: string, maxBytes: number): BoundedLogFile {
  let size = sizeOf(file);
  let stream = open();

  function open(): WriteStream {
    // Opened at once, not when the stream gets to it: a rotation may follow before that, and must find the file.
    const opened = createWriteStream(file, { fd: openSync(file, 'a', 0o600) });
    // A log that cannot be written (a full disk) must not bring down the agents that write to it.
    opened.on('error', () => undefined);
    return opened;
  }

  return {
    write(line) {
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) {
        // Lines still queued on the old stream land in `.1`: its descriptor follows the rename.
        stream.end();
        renameSync(file, `${file}.1`);
        stream = open();
        size = 0;
      }
      stream.write(line);
      size += bytes;
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
