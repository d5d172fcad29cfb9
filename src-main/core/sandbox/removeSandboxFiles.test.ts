import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import { removeSandboxFiles } from './removeSandboxFiles.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A sandbox folder with every file a sandbox writes, and `extra` besides. */
function sandboxFolder(extra: string[]): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'sandbox-files-'));
  made.push(parent);
  const dir = path.join(parent, 'sandbox');
  mkdirSync(path.join(dir, SANDBOX_FILES.nodes, 'root-1', 'identity'), { recursive: true });
  mkdirSync(path.join(dir, SANDBOX_FILES.logs), { recursive: true });
  writeFileSync(path.join(dir, SANDBOX_FILES.logs, 'root-1.log'), 'line\n');
  for (const file of [SANDBOX_FILES.spec, SANDBOX_FILES.host, SANDBOX_FILES.access, SANDBOX_FILES.password, SANDBOX_FILES.passphrase, ...extra]) writeFileSync(path.join(dir, file), 'x');
  return dir;
}

describe('removeSandboxFiles', () => {
  it('removes everything a sandbox wrote, and the folder it leaves empty', async () => {
    const dir = sandboxFolder([]);
    await removeSandboxFiles(dir);
    expect(existsSync(dir)).toBe(false);
  });

  it("keeps what the user put in the folder, and the folder with it", async () => {
    const dir = sandboxFolder(['my-topology.json']);
    await removeSandboxFiles(dir);
    expect(readdirSync(dir)).toEqual(['my-topology.json']);
  });

  it('keeps what it is told to keep', async () => {
    const dir = sandboxFolder([]);
    await removeSandboxFiles(dir, [SANDBOX_FILES.logs]);
    expect(readdirSync(dir)).toEqual([SANDBOX_FILES.logs]);
  });

  it('does nothing where there is no folder', async () => {
    await expect(removeSandboxFiles(path.join(tmpdir(), 'no-such-sandbox-folder'))).resolves.toBeUndefined();
  });
});
