// Parses JSON text and, when it is not JSON, says where (line and column) so an administrator can fix the file.

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

export function parseJsonText(text: string): JsonParseResult {
  // Editors on Windows like to start files with a byte-order mark; JSON.parse refuses it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /position (\d+)/.exec(message);
    const position = match ? Number(match[1]) : body.length;
    const before = body.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    return { ok: false, line, column, message: message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '') };
  }
}
