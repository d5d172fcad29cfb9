import { describe, expect, it } from 'vitest';
import { portOption } from './browserApp.ts';

describe('portOption', () => {
  it.each([
    [undefined, 0],
    ['0', 0],
    ['8080', 8080],
    ['65535', 65535],
    ['65536', '--port: expected a port number, found "65536"'],
    ['-1', '--port: expected a port number, found "-1"'],
    ['80.5', '--port: expected a port number, found "80.5"'],
    ['web', '--port: expected a port number, found "web"'],
  ])('%j gives %j', (text, expected) => {
    expect(portOption(text)).toBe(expected);
  });
});
