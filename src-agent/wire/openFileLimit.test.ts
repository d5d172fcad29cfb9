import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileLimit } from './openFileLimit.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'open-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const limitsFile = (openFiles: string) => {
  const file = path.join(dir, `limits-${openFiles}`);
  writeFileSync(
    file,
    [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max cpu time              unlimited            unlimited            seconds   ',
      `Max open files            ${openFiles.padEnd(20)} 524288               files     `,
      'Max locked memory         8388608              8388608              bytes     ',
    ].join('\n'),
  );
  return file;
};

describe('openFileLimit', () => {
  it.each([
    ['a number', '1024', 1024],
    ['unlimited', 'unlimited', undefined],
  ])('reads the soft limit when it is %s', async (_case, soft, limit) => {
    expect(await openFileLimit(limitsFile(soft))).toBe(limit);
  });

  it('knows nothing where there is no such file', async () => {
    expect(await openFileLimit(path.join(dir, 'none'))).toBeUndefined();
  });

  it("reads this process's own", async () => {
    expect(await openFileLimit()).toBeGreaterThan(0);
  });
});
