import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic, writeWithoutWaitingForDisk } from './atomicFile.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'atomic-nowait-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writing without waiting for the disk (the sandbox host)', () => {
  it('still replaces a file whole, with its mode, but never asks for an fsync', async () => {
    const probe = await open(path.join(dir, 'probe'), 'w');
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync(): Promise<void> }, 'sync');
    await probe.close();
    const file = path.join(dir, 'a', 'state.json');
    await writeFileAtomic(file, 'before', 0o600);
    expect(sync).toHaveBeenCalled();
    sync.mockClear();

    writeWithoutWaitingForDisk();
    await writeFileAtomic(file, 'after', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('after');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(sync).not.toHaveBeenCalled();
  });
});
