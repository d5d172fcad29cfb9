import { describe, expect, it } from 'vitest';
import { cannotReadReason } from './cannotReadReason.ts';

describe('cannotReadReason', () => {
  it.each([
    [{ code: 'ENOENT' }, 'no such file'],
    [{ code: 'EISDIR' }, 'is a directory'],
    [{ code: 'EACCES' }, 'permission denied'],
    [Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }), 'EIO: i/o error'],
    ['odd', 'odd'],
    [null, 'null'],
  ])('%j -> %s', (error, want) => {
    expect(cannotReadReason(error)).toBe(want);
  });
});
