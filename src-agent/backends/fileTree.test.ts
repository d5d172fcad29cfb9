import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changedPaths, diskFileTree } from './fileTree.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-tree-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (content: string, mode = 0o644) => ({ content, mode });

describe('changedPaths', () => {
  it('lists added, removed, changed content and changed mode, sorted', () => {
    expect(
      changedPaths(
        { same: file('a'), gone: file('x'), edited: file('1'), chmod: file('k', 0o644) },
        { same: file('a'), added: file('n'), edited: file('2'), chmod: file('k', 0o600) },
      ),
    ).toEqual(['added', 'chmod', 'edited', 'gone']);
  });
});

describe('diskFileTree', () => {
  it('reads a missing folder as empty', async () => {
    expect(await diskFileTree(join(dir, 'none')).read()).toEqual({});
  });

  it('writes exactly the target, with modes, and reports what changed', async () => {
    const tree = diskFileTree(join(dir, 'root'));
    const first = { 'openvpn/leaf.conf': file('dev tun\n'), 'openvpn/leaf/key.pem': file('KEY', 0o600), 'swanctl/swanctl.conf': file('c') };
    expect(await tree.write(first)).toEqual(['openvpn/leaf.conf', 'openvpn/leaf/key.pem', 'swanctl/swanctl.conf']);
    expect(await tree.read()).toEqual(first);
    expect((await stat(join(dir, 'root/openvpn/leaf/key.pem'))).mode & 0o777).toBe(0o600);
    expect(await tree.write(first)).toEqual([]);

    const second = { 'openvpn/leaf.conf': file('dev tun\nverb 3\n'), 'swanctl/swanctl.conf': file('c', 0o600) };
    expect(await tree.write(second)).toEqual(['openvpn/leaf.conf', 'openvpn/leaf/key.pem', 'swanctl/swanctl.conf']);
    expect(await tree.read()).toEqual(second);
    // The emptied instance folder goes too; the root stays.
    expect((await readdir(join(dir, 'root/openvpn'))).sort()).toEqual(['leaf.conf']);
    expect(await tree.write({})).toHaveLength(2);
    expect(await readdir(join(dir, 'root'))).toEqual([]);
  });

  it('ignores leftover temporary files of an interrupted write', async () => {
    await mkdir(join(dir, 'root'), { recursive: true });
    await writeFile(join(dir, 'root', '.a.conf.tmp-123-0123abcd'), 'partial');
    await writeFile(join(dir, 'root', 'a.conf'), 'whole');
    expect(Object.keys(await diskFileTree(join(dir, 'root')).read())).toEqual(['a.conf']);
  });

  it.each(['../escape', '/etc/passwd', 'a/../../escape'])('refuses to write %s outside its folder', async (path) => {
    const tree = diskFileTree(join(dir, 'root'));
    await expect(tree.write({ [path]: file('x') })).rejects.toThrow(/outside/);
    await expect(readFile(join(dir, 'escape'))).rejects.toThrow();
  });
});

describe('diskFileTree with a folder mode', () => {
  it('gives the folder and every folder holding a file exactly that mode, also one made before, whatever the umask', async () => {
    const root = join(dir, 'root');
    await mkdir(join(root, 'openvpn'), { recursive: true, mode: 0o755 });
    const tree = diskFileTree(root, { folderMode: 0o700 });
    await tree.write({ 'openvpn/a/pki/ca.crt': file('CA', 0o600), 'swanctl/swanctl.conf': file('x', 0o600) });
    for (const folder of ['', 'openvpn', 'openvpn/a', 'openvpn/a/pki', 'swanctl']) {
      expect((await stat(join(root, folder))).mode & 0o777, folder || '.').toBe(0o700);
    }
  });

  it('leaves folder modes alone without it', async () => {
    const root = join(dir, 'root');
    await mkdir(join(root, 'sub'), { recursive: true, mode: 0o755 });
    await diskFileTree(root).write({ 'sub/f': file('x') });
    expect((await stat(join(root, 'sub'))).mode & 0o777).toBe(0o755);
  });
});
