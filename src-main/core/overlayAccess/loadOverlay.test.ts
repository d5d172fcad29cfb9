import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOverlay } from './loadOverlay.ts';
import { sampleAccess } from './overlayAccess.testkit.ts';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';

let dir: string;
let sandbox: string;
let env: NodeJS.ProcessEnv;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-access-'));
  sandbox = file('sandbox');
  env = { RAINCOAT_SANDBOX_DIR: sandbox };
  await mkdir(sandbox);
  await writeFile(path.join(sandbox, SANDBOX_FILES.access), JSON.stringify(sampleAccess()));
  await writeFile(path.join(sandbox, SANDBOX_FILES.password), 'kept sandbox secret\n', { mode: 0o600 });
  await writeFile(file('other.json'), JSON.stringify(sampleAccess({ name: 'production' })));
  await writeFile(file('invalid.json'), JSON.stringify({ ...sampleAccess(), entry: 'leaf-1-1', extra: 1 }));
  await writeFile(file('notjson.json'), '{"version": 1,}');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadOverlay', () => {
  it("reads the running sandbox's access file when none is named, with its kept password", async () => {
    const loaded = await loadOverlay({ env });
    expect(loaded).toMatchObject({ ok: true, access: { name: 'sandbox', entry: 'root-1' }, file: path.join(sandbox, SANDBOX_FILES.access) });
    expect(loaded.ok && (await loaded.passwords.readKept())).toBe('kept sandbox secret');
  });

  it("takes the sandbox's kept password when --access names the sandbox's own file", async () => {
    const loaded = await loadOverlay({ env, accessFile: path.join(sandbox, '.', SANDBOX_FILES.access) });
    expect(loaded.ok && (await loaded.passwords.readKept())).toBe('kept sandbox secret');
  });

  it("never offers the sandbox's password to another overlay, nor keeps one for it", async () => {
    const loaded = await loadOverlay({ env, accessFile: file('other.json') });
    expect(loaded).toMatchObject({ ok: true, access: { name: 'production' } });
    expect(loaded.ok && (await loaded.passwords.readKept())).toBeUndefined();
    expect(loaded.ok && loaded.passwords.keep).toBeUndefined();
  });

  it("keeps a new password where the sandbox's was, for the user alone", async () => {
    const own = file('own-sandbox');
    await mkdir(own);
    await writeFile(path.join(own, SANDBOX_FILES.access), JSON.stringify(sampleAccess()));
    await writeFile(path.join(own, SANDBOX_FILES.password), 'old secret\n', { mode: 0o644 });
    const loaded = await loadOverlay({ env: { RAINCOAT_SANDBOX_DIR: own } });
    await (loaded.ok && loaded.passwords.keep!('the new secret'));
    expect(await readFile(path.join(own, SANDBOX_FILES.password), 'utf8')).toBe('the new secret\n');
    expect((await stat(path.join(own, SANDBOX_FILES.password))).mode & 0o777).toBe(0o600);
    expect(loaded.ok && (await loaded.passwords.readKept())).toBe('the new secret');
  });

  it.each([
    ['no sandbox running', '/nonexistent/raincoat', undefined, /^no sandbox overlay is running here \(\/nonexistent\/raincoat\/overlay-access\.json does not exist\): run "raincoat sandbox up", or pass --access FILE for another overlay$/],
    ['a named file that is missing', undefined, '/nonexistent/access.json', /^\/nonexistent\/access\.json: no such file; pass --access/],
    ['a file that is not JSON', undefined, 'notjson.json', /notjson\.json:1:14: not JSON: trailing comma$/],
    ['a file that is no access file', undefined, 'invalid.json', /invalid\.json: entry: the entry must be a root, found "leaf-1-1"\n.*invalid\.json: extra: unknown field$/],
  ])('says what is wrong: %s', async (_, sandboxDir, accessFile, message) => {
    const loaded = await loadOverlay({
      env: sandboxDir ? { RAINCOAT_SANDBOX_DIR: sandboxDir } : env,
      ...(accessFile ? { accessFile: path.resolve(dir, accessFile) } : {}),
    });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.message).toMatch(message);
  });

  it("reports a kept password it cannot read, without its content", async () => {
    const locked = file('locked');
    await mkdir(locked);
    await writeFile(path.join(locked, SANDBOX_FILES.access), JSON.stringify(sampleAccess()));
    await mkdir(path.join(locked, SANDBOX_FILES.password));
    const loaded = await loadOverlay({ env: { RAINCOAT_SANDBOX_DIR: locked } });
    await expect(loaded.ok && loaded.passwords.readKept()).rejects.toThrow(/admin-password: cannot read the sandbox's administrator password: is a directory/);
  });
});
