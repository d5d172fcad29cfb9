import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryBox } from '../secrets/unlocker.testkit.ts';
import { keptSessionFile } from './keptSession.ts';

const SESSION = { entry: 'root-2', user: 'administrator', loginId: 'login-0123456789', token: 'session-token-0123456789abcdef' } as const;

let dir: string;
const file = () => path.join(dir, 'session.json');
beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'raincoat-kept-session-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the session kept for the next run', () => {
  it("is sealed by the OS's store where there is one: the token is not in the file, and the store opens it again", async () => {
    const box = memoryBox();
    await keptSessionFile(file(), Date.now, box).save(SESSION);
    expect(readFileSync(file(), 'utf8')).not.toContain(SESSION.token);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(await keptSessionFile(file(), Date.now, box).load()).toEqual(SESSION);
  });

  it('is not taken up where the store that sealed it is not (another machine, no keyring)', async () => {
    await keptSessionFile(file(), Date.now, memoryBox('a-store')).save(SESSION);
    expect(await keptSessionFile(file(), Date.now, memoryBox('another-store')).load()).toBeUndefined();
    expect(await keptSessionFile(file(), Date.now).load()).toBeUndefined();
  });

  it('is kept as is, readable by the user alone, with no store (the browser application, the sandbox)', async () => {
    await keptSessionFile(file(), Date.now).save(SESSION);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(await keptSessionFile(file(), Date.now).load()).toEqual(SESSION);
  });

  it('is gone once cleared, and none when the file is not one', async () => {
    const kept = keptSessionFile(file(), Date.now);
    await kept.save(SESSION);
    await kept.clear();
    expect(await kept.load()).toBeUndefined();
    await keptSessionFile(file(), Date.now).clear();
  });
});
