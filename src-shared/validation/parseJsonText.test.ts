import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSyntaxError, formatJsonError, parseJsonText } from './parseJsonText.ts';

describe('parseJsonText', () => {
  it.each([
    ['an object', '{"a": [1, 2.5e3, -0, true, null, "x\\u00e9\\n"]}', { a: [1, 2500, -0, true, null, 'xé\n'] }],
    ['a byte-order mark before it', '\ufeff{"a": 1}', { a: 1 }],
    ['a bare value with whitespace', ' \r\n 7 \t', 7],
  ])('reads %s', (_what, text, value) => {
    expect(parseJsonText(text)).toEqual({ ok: true, value });
  });

  it.each([
    // The comma on line 5, column 3 of a seven-line file: reported there, not past the end of the file.
    ['a trailing comma in an object', '{\n  "roots": [\n    1\n  ]\n  ,\n\n}\n', 5, 3, 'trailing comma'],
    ['a trailing comma in an array', '{\n "a": [\n  1,\n  2,\n  ]\n}\n', 4, 4, 'trailing comma'],
    ['a trailing comma at the end of a line', '[1,\n]', 1, 3, 'trailing comma'],
    ['a missing closing quote', '{\n  "name": "east\n}', 2, 11, 'unterminated string (a string cannot span lines)'],
    ['a string never closed', '["abc', 1, 2, 'unterminated string'],
    ['a missing opening quote', '{"a": 1, b": 2}', 1, 10, 'expected a property name in double quotes'],
    ['a missing colon', '{"a" 1}', 1, 6, "expected ':' after a property name"],
    ['a missing comma in an array', '[1 2]', 1, 4, "expected ',' or ']' after an array element"],
    ['a missing comma in an object', '{"a": 1 "b": 2}', 1, 9, "expected ',' or '}' after a property value"],
    ['an empty file', '', 1, 1, 'the file is empty'],
    ['a file of blanks', '  \n  ', 1, 1, 'the file is empty'],
    ['an empty file after a byte-order mark', '\ufeff', 1, 1, 'the file is empty'],
    ['a cut-off file', '{"a": [1,', 1, 10, 'unexpected end of file'],
    ['a single-quoted string', "{'a': 1}", 1, 2, 'expected a property name in double quotes'],
    ['a bare word', 'abc', 1, 1, 'expected a value: a string, number, object, array, true, false or null'],
    ['a leading zero', '[01]', 1, 3, 'invalid number'],
    ['a bad escape', '["a\\x"]', 1, 4, 'invalid escape in a string'],
    ['a tab inside a string', '["a\tb"]', 1, 4, 'control character in a string'],
    ['text after the value', '{"a": 1}\n{"b": 2}', 2, 1, 'unexpected text after the JSON value'],
    ['a double comma', '[1,,2]', 1, 4, 'expected a value: a string, number, object, array, true, false or null'],
  ])('reports %s at its own line and column', (_what, text, line, column, message) => {
    expect(parseJsonText(text)).toEqual({ ok: false, line, column, message });
  });

  it('never quotes the text it refuses (it may hold secrets)', () => {
    const refused = parseJsonText('{"key": "-----BEGIN PRIVATE KEY-----\nMIGH"}');
    expect(refused).toMatchObject({ ok: false, line: 1 });
    expect(JSON.stringify(refused)).not.toContain('PRIVATE');
  });

  it('formats an error as file:line:column on one line', () => {
    expect(formatJsonError('t.json', { line: 5, column: 3, message: 'trailing comma' })).toBe('t.json:5:3: not JSON: trailing comma');
  });
});

describe('findSyntaxError', () => {
  it('agrees with JSON.parse on any JSON value, and on any text with one character dropped', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, cut) => {
        const text = JSON.stringify(value, null, 1);
        expect(findSyntaxError(text)).toBeNull();
        const broken = text.slice(0, cut % text.length) + text.slice((cut % text.length) + 1);
        let parses = true;
        try {
          JSON.parse(broken);
        } catch {
          parses = false;
        }
        expect(findSyntaxError(broken) === null).toBe(parses);
      }),
    );
  });
});
