import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { endHostAfter, endProcess, endStaleHost, exitWithin, isAlive, isSandboxHost, spawnHost } from './hostProcess.ts';

const dirs: string[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-process-'));
  dirs.push(dir);
  return dir;
}

/** A process that lives until killed, named as a sandbox host or not; `stubborn` ignores SIGTERM. */
function sleeper(args: string[], stubborn = false): number {
  const code = `${stubborn ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', code, ...args], { stdio: 'ignore' });
  pids.push(child.pid!);
  return child.pid!;
}

/** A stand-in for the agent bundle: `code` runs with the arguments the host gets. */
function fakeBundle(dir: string, code: string): string {
  const file = path.join(dir, 'bundle.mjs');
  writeFileSync(file, code);
  return file;
}

describe('the host process', () => {
  it('is told alive, and a sandbox host by its command line', async () => {
    const host = sleeper(['sandbox-host', '--dir', '/tmp/x']);
    const other = sleeper(['something-else']);
    expect([isAlive(host), isSandboxHost(host), isSandboxHost(other)]).toEqual([true, true, false]);
    process.kill(other, 'SIGKILL');
    expect(await exitWithin(other, 5_000)).toBe(true);
    expect(isAlive(other)).toBe(false);
  });

  it('is killed when it does not stop by itself', async () => {
    const pid = sleeper([], true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await endProcess(pid, 300);
    expect(isAlive(pid)).toBe(false);
  });

  it('is ended from a stale host file only while its pid is a sandbox host', async () => {
    const host = sleeper(['sandbox-host', '--dir', '/tmp/x']);
    const other = sleeper(['something-else']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await endStaleHost(other);
    await endStaleHost(host);
    await endStaleHost(undefined);
    expect([isAlive(host), isAlive(other)]).toEqual([false, true]);
  });

  it('is ended once its grace is over when it does not go down by itself', async () => {
    const pid = sleeper([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await endHostAfter(pid, 100);
    expect(isAlive(pid)).toBe(false);
  });

  it('is started detached and found by the host file it writes', async () => {
    const dir = folder();
    const bundle = fakeBundle(dir, `
      import { writeFileSync } from 'node:fs';
      const dir = process.argv[process.argv.indexOf('--dir') + 1];
      writeFileSync(dir + '/host.json', JSON.stringify({ pid: process.pid, port: 4999, token: 'x'.repeat(43) }));
      setInterval(() => {}, 1000);
    `);
    const host = await spawnHost(dir, bundle, []);
    pids.push(host.pid);
    expect(host).toMatchObject({ port: 4999, token: 'x'.repeat(43) });
    expect(isSandboxHost(host.pid)).toBe(true);
  });

  it('says how a host that could not start ended, with the end of its log', async () => {
    const dir = folder();
    const bundle = fakeBundle(dir, `console.log('{"event":"sandbox_unusable","reason":"no sandbox.json"}'); process.exit(1);`);
    await expect(spawnHost(dir, bundle, [])).rejects.toThrow(/the sandbox host exited \(code 1\); its log \(.*host\.log\) ends:\n.*no sandbox\.json/);
  });
});
