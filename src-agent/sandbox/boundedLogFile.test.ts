import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBoundedLogFile } from './boundedLogFile.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openBoundedLogFile', () => {
  it('starts a new file past the limit, keeping the one before as .1 and no more', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bounded-log-'));
    dirs.push(dir);
    const file = path.join(dir, 'root-1.log');
    const log = openBoundedLogFile(file, 20);
    for (let i = 0; i < 9; i++) log.write(`line ${i} ------\n`);
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(['root-1.log', 'root-1.log.1']);
    expect(readFileSync(file, 'utf8')).toBe('line 8 ------\n');
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('line 7 ------\n');
  });

  it('counts what the file already holds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bounded-log-'));
    dirs.push(dir);
    const file = path.join(dir, 'a.log');
    const first = openBoundedLogFile(file, 30);
    first.write('0123456789012345678901234\n');
    await first.close();
    const again = openBoundedLogFile(file, 30);
    again.write('next\n');
    await again.close();
    expect([readFileSync(file, 'utf8'), readFileSync(`${file}.1`, 'utf8')]).toEqual(['next\n', '0123456789012345678901234\n']);
  });
});
