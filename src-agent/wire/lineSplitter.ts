// Newline-delimited JSON, the flood stream's framing both ways: chunks of bytes in, complete lines out.

export const NDJSON = 'application/x-ndjson';

/** The start of the next line, in the pieces it came in (none holds a newline), and their length together. */
export interface LineRest {
  readonly pieces: readonly Buffer[];
  readonly bytes: number;
}

export const NO_REST: LineRest = { pieces: [], bytes: 0 };

/**
 * What a chunk completes: its lines (without their newlines, empty ones included), and either the start of the next
 * line or, when a line grew past the limit, `tooLong` (the lines before that one are still given).
 */
export type LineSplit = { lines: Buffer[]; rest: LineRest; tooLong?: never } | { lines: Buffer[]; tooLong: true; rest?: never };

/**
 * Splits `chunk`, which follows `rest`. Only the new chunk is scanned for newlines, and a line is joined from its pieces
 * once: a line that lies within one chunk is a view of it, not a copy. A line longer than `maxBytes` (its newline not
 * counted) is refused as soon as its length is known to pass the limit, before its newline arrives.
 */
export function splitLines(rest: LineRest, chunk: Buffer, maxBytes: number): LineSplit {
  const lines: Buffer[] = [];
  let pieces = rest.pieces;
  let bytes = rest.bytes;
  let start = 0;
  for (let end = chunk.indexOf(10); end >= 0; end = chunk.indexOf(10, start)) {
    const length = bytes + end - start;
    if (length > maxBytes) return { lines, tooLong: true };
    lines.push(pieces.length === 0 ? chunk.subarray(start, end) : Buffer.concat([...pieces, chunk.subarray(start, end)], length));
    pieces = NO_REST.pieces;
    bytes = 0;
    start = end + 1;
  }
  const tail = chunk.length - start;
  if (bytes + tail > maxBytes) return { lines, tooLong: true };
  if (tail === 0) return { lines, rest: bytes === 0 ? NO_REST : rest };
  return { lines, rest: { pieces: [...pieces, chunk.subarray(start)], bytes: bytes + tail } };
}

/** The line a stream ended without a newline after, or undefined when it ended on one. */
export function lastLine(rest: LineRest): Buffer | undefined {
  if (rest.bytes === 0) return undefined;
  return rest.pieces.length === 1 ? rest.pieces[0] : Buffer.concat(rest.pieces, rest.bytes);
}
