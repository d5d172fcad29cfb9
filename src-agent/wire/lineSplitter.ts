// Newline-delimited JSON, the flood stream's framing both ways: chunks in, complete lines out. The chunks are bytes
// (the server reads them so) or text already decoded (the client's answers), and lengths are counted in their units.

export const NDJSON = 'application/x-ndjson';

type Chunk = Buffer | string;

/** The start of the next line, in the pieces it came in (none holds a newline), and their length together. */
export interface LineRest<C extends Chunk> {
  readonly pieces: readonly C[];
  readonly length: number;
}

export const NO_REST: LineRest<never> = { pieces: [], length: 0 };

/**
 * What a chunk completes: its lines (without their newlines, empty ones included), and either the start of the next
 * line or, when a line grew past the limit, `tooLong` (the lines before that one are still given).
 */
export type LineSplit<C extends Chunk> = { lines: C[]; rest: LineRest<C>; tooLong?: never } | { lines: C[]; tooLong: true; rest?: never };

/**
 * Splits `chunk`, which follows `rest`. Only the new chunk is scanned for newlines, and a line is joined from its pieces
 * once: a line that lies within one chunk is a view of it, not a copy. A line longer than `maxLength` (its newline not
 * counted) is refused as soon as its length is known to pass the limit, before its newline arrives.
 */
export function splitLines<C extends Chunk>(rest: LineRest<C>, chunk: C, maxLength: number): LineSplit<C> {
  const lines: C[] = [];
  let pieces = rest.pieces;
  let length = rest.length;
  let start = 0;
  for (let end = newline(chunk, 0); end >= 0; end = newline(chunk, start)) {
    const total = length + end - start;
    if (total > maxLength) return { lines, tooLong: true };
    lines.push(pieces.length === 0 ? part(chunk, start, end) : joined([...pieces, part(chunk, start, end)], total));
    pieces = NO_REST.pieces;
    length = 0;
    start = end + 1;
  }
  const tail = chunk.length - start;
  if (length + tail > maxLength) return { lines, tooLong: true };
  if (tail === 0) return { lines, rest: length === 0 ? NO_REST : rest };
  return { lines, rest: { pieces: [...pieces, part(chunk, start, chunk.length)], length: length + tail } };
}

/** The line a stream ended without a newline after, or undefined when it ended on one. */
export function lastLine<C extends Chunk>(rest: LineRest<C>): C | undefined {
  if (rest.length === 0) return undefined;
  return rest.pieces.length === 1 ? rest.pieces[0] : joined(rest.pieces, rest.length);
}

function newline(chunk: Chunk, from: number): number {
  return typeof chunk === 'string' ? chunk.indexOf('\n', from) : chunk.indexOf(10, from);
}

function part<C extends Chunk>(chunk: C, start: number, end: number): C {
  return (typeof chunk === 'string' ? chunk.slice(start, end) : chunk.subarray(start, end)) as C;
}

function joined<C extends Chunk>(pieces: readonly C[], length: number): C {
  return (typeof pieces[0] === 'string' ? pieces.join('') : Buffer.concat(pieces as readonly Buffer[], length)) as C;
}
