import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostFileSchema, SANDBOX_FILES } from '../../src-shared/sandbox/sandboxControl.ts';
import { systemClock } from '../clock.ts';
import { runSandboxHost } from './runSandboxHost.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(spec?: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-run-'));
  dirs.push(dir);
  if (spec !== undefined) writeFileSync(path.join(dir, SANDBOX_FILES.spec), JSON.stringify(spec));
  return dir;
}

const spec = {
  version: 1,
  topology: { roots: [{ id: 1, name: 'one', internetAddress: '198.51.100.1', overlay: '10.1.0.0/16', maxClients: 10 }], tunnels: [] },
  entry: 'root-1',
  heartbeatIntervalMs: 1_000,
};

describe('runSandboxHost', () => {
  it('serves the control channel from a 0600 host file until taken down, then removes that file', async () => {
    const dir = folder(spec);
    const events: string[] = [];
    const runner = { threads: -1, closed: false };
    const agents = (options: { threads: number }) => {
      runner.threads = options.threads;
      return { startAgent: () => Promise.reject(new Error('not in this test')), close: async () => void (runner.closed = true) };
    };
    const running = runSandboxHost(dir, { agents, clock: systemClock, log: (event) => events.push(event) });
    const hostFile = path.join(dir, SANDBOX_FILES.host);
    for (const deadline = Date.now() + 10_000; !existsSync(hostFile); ) {
      if (Date.now() > deadline) throw new Error('no host file');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(statSync(hostFile).mode & 0o777).toBe(0o600);
    const host = HostFileSchema.parse(JSON.parse(readFileSync(hostFile, 'utf8')));
    expect(host.pid).toBe(process.pid);
    const nodes = await fetch(`http://127.0.0.1:${host.port}/v1/nodes`, { headers: { authorization: `Bearer ${host.token}` } });
    expect(await nodes.json()).toEqual({ phase: 'enrolling', nodes: [{ node: 'root-1', port: null, process: 'stopped' }, { node: 'leaf-1-1', port: null, process: 'stopped' }] });
    await fetch(`http://127.0.0.1:${host.port}/v1/down`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` } });
    expect(await running).toBe(0);
    expect(existsSync(hostFile)).toBe(false);
    expect(runner).toEqual({ threads: 0, closed: true });
    expect(events).toEqual(['host_listening', 'host_stopping', 'host_stopped']);
  });

  it('refuses a folder without what up writes, saying so', async () => {
    const dir = folder();
    const logged: unknown[] = [];
    const agents = () => {
      throw new Error('no agents without a sandbox');
    };
    expect(await runSandboxHost(dir, { agents, clock: systemClock, log: (event, fields) => logged.push({ event, ...fields }) })).toBe(1);
    expect(logged).toEqual([{ event: 'sandbox_unusable', reason: `no sandbox.json in ${dir}` }]);
    expect(existsSync(path.join(dir, SANDBOX_FILES.host))).toBe(false);
  });
});
