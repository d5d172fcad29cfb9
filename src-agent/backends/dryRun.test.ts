import { describe, expect, it } from 'vitest';
import { createDryRunBackend, DRY_RUN_COMMANDS_FILE } from './dryRun.ts';
import { memoryFileTree } from './fakes.testkit.ts';

const file = (content: string, mode = 0o644) => ({ content, mode });

describe('dry-run backend', () => {
  it('accepts a part for any backend and writes its files and VyOS lines', async () => {
    const tree = memoryFileTree();
    const backend = createDryRunBackend({ tree });
    expect(['vyos', 'linux', 'dry-run'].every((b) => backend.accepts(b as 'vyos'))).toBe(true);
    await backend.apply({ files: { 'a.conf': file('a') }, commands: ["set x 'y'", 'delete z'] });
    expect(tree.files).toEqual({ 'a.conf': file('a'), [DRY_RUN_COMMANDS_FILE]: file("set x 'y'\ndelete z\n", 0o600) });
  });

  it('backs up, restores and tears down', async () => {
    const tree = memoryFileTree({ 'old.conf': file('old') });
    const backend = createDryRunBackend({ tree });
    const backup = await backend.backup();
    await backend.apply({ files: { 'new.conf': file('new') }, commands: [] });
    expect(tree.files).toEqual({ 'new.conf': file('new') });
    await backend.restore(backup);
    expect(tree.files).toEqual({ 'old.conf': file('old') });
    await backend.teardownTunnels(['tunnel-1-2']);
    await backend.teardownAll();
    expect(tree.files).toEqual({});
  });

  it('refuses another backend’s backup', async () => {
    await expect(createDryRunBackend({ tree: memoryFileTree() }).restore({ backend: 'vyos', files: {} })).rejects.toThrow(/vyos backup/);
  });
});
