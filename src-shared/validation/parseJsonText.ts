// JSON text to a value, or to where (line and column) and why it is not JSON, in one line that never quotes the text.

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

/** `where:line:column: not JSON: why`: how every surface reports a JSON syntax error. */
export function formatJsonError(where: string, error: { line: number; column: number; message: string }): string {
  return `${where}:${error.line}:${error.column}: not JSON: ${error.message}`;
}

export function parseJsonText(text: string): JsonParseResult {
  // Editors on Windows like to start files with a byte-order mark; JSON.parse refuses it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    // JSON.parse's messages differ between Node versions, sometimes give no position (`[1,]`) and quote the text
    // (which may hold secrets) over several lines: the scanner below finds the first error itself.
    const { offset, message } = findSyntaxError(body) ?? { offset: 0, message: 'not valid JSON' };
    const before = body.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { ok: false, line: before.split('\n').length, column: offset - lineStart + 1, message };
  }
}

/** Thrown inside the scanner only, to leave its recursion at the first error. */
class JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
  constructor(offset: number, message: string) {
    this.offset = offset;
    this.message = message;
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The first place where `text` breaks JSON's grammar (RFC 8259), or null when it does not. */
export function findSyntaxError(text: string): { offset: number; message: string } | null {
  let at = 0;
  const fail = (offset: number, message: string): never => {
    throw new JsonSyntaxError(offset, message);
  };
  const skipSpace = () => {
    while (at < text.length && WHITESPACE.has(text[at]!)) at++;
  };
  const endOr = (message: string) => (at >= text.length ? fail(at, 'unexpected end of file') : fail(at, message));

  const string = () => {
    const start = at++;
    while (text[at] !== '"') {
      if (at >= text.length) fail(start, 'unterminated string');
      const c = text.charCodeAt(at);
      if (c === 0x0a) fail(start, 'unterminated string (a string cannot span lines)');
      if (c < 0x20) fail(at, 'control character in a string');
      if (text[at] === '\\') {
        ESCAPE.lastIndex = at;
        if (!ESCAPE.test(text)) fail(at, 'invalid escape in a string');
        at = ESCAPE.lastIndex;
      } else at++;
    }
    at++;
  };

  /** From an opening bracket to its `close`: members separated by commas, and no comma before `close`. */
  const members = (close: string, member: () => void, expected: string) => {
    at++;
    skipSpace();
    if (text[at] === close) return void at++;
    for (;;) {
      member();
      skipSpace();
      if (text[at] === close) return void at++;
      if (text[at] !== ',') endOr(expected);
      const comma = at++;
      skipSpace();
      if (text[at] === close) fail(comma, 'trailing comma');
    }
  };

  const property = () => {
    skipSpace();
    if (text[at] !== '"') endOr('expected a property name in double quotes');
    string();
    skipSpace();
    if (text[at] !== ':') endOr("expected ':' after a property name");
    at++;
    value();
  };

  const value = (): void => {
    skipSpace();
    const c = text[at];
    if (c === '{') return members('}', property, "expected ',' or '}' after a property value");
    if (c === '[') return members(']', value, "expected ',' or ']' after an array element");
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, at)) return void (at += word.length);
    }
    NUMBER.lastIndex = at;
    if (c !== undefined && /[-\d]/.test(c) && NUMBER.test(text)) {
      at = NUMBER.lastIndex;
      if (at < text.length && /[\d.eE+-]/.test(text[at]!)) fail(at, 'invalid number');
      return;
    }
    if (/^[ \t\n\r]*$/.test(text)) fail(0, 'the file is empty');
    endOr('expected a value: a string, number, object, array, true, false or null');
  };

  try {
    value();
    skipSpace();
    if (at < text.length) fail(at, 'unexpected text after the JSON value');
    return null;
  } catch (error) {
    // Anything else is the scanner's own recursion running out on absurdly deep nesting: no position to give.
    if (error instanceof JsonSyntaxError) return { offset: error.offset, message: error.message };
    return null;
  }
}
