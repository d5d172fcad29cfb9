import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { signCsr } from '../../src-node/x509/signCsr.ts';
import type { SandboxSpec } from '../../src-shared/sandbox/sandboxControl.ts';
import type { RunningAgent } from '../agent.ts';
import type { AgentConfig } from '../config/agentConfig.ts';
import { createSandboxHost } from './sandboxHost.ts';
import type { SandboxHost } from './sandboxHost.ts';

const root = (id: number, maxClients: number) => ({ id, name: `r${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients });
const spec: SandboxSpec = { version: 1, topology: { roots: [root(1, 100), root(2, 100)], tunnels: [{ a: 1, b: 2 }] }, entry: 'root-1', heartbeatIntervalMs: 1_000 };
const ca = testCa('sandbox control CA (test)');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A host whose agents are fakes: each listens on the port asked for, or the next of 4001…, and notes what it is told. */
function fakeHost(options: { failing?: string[] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-host-'));
  dirs.push(dir);
  const events: string[] = [];
  const configs = new Map<string, AgentConfig>();
  const held = new Set<number>();
  let nextPort = 4001;
  const host = createSandboxHost({
    dir,
    spec,
    clock: { sleep: async () => undefined },
    async startAgent(config) {
      if (options.failing?.includes(config.node)) throw new Error('EADDRINUSE');
      const port = config.listen.port === 0 ? nextPort++ : config.listen.port;
      configs.set(config.node, config);
      events.push(`start ${config.node}:${port} [${config.neighbours.map((n) => n.node).join(' ')}]`);
      const agent: RunningAgent = {
        node: config.node,
        port,
        reload: (next) => {
          configs.set(config.node, next);
          events.push(`reload ${config.node} [${next.neighbours.map((n) => n.url.split(':')[2]).join(' ')}]`);
        },
        stop: async () => void events.push(`stop ${config.node}`),
      };
      return agent;
    },
    log: () => undefined,
    holdPort: async (port) => {
      held.add(port);
      return { release: async () => void held.delete(port) };
    },
    askStatus: async (node, port) => ({ node, generatedAt: port, nodes: [] }),
  });
  return { host, events, configs, held };
}

async function enrolled(host: SandboxHost) {
  const csrs = await host.csrs();
  const certs = Object.fromEntries(Object.entries(csrs).map(([node, csr]) => [node, signCsr(ca, csr, 'peer').certPem]));
  await host.enroll(ca.certPem, certs);
  for (const deadline = Date.now() + 10_000; host.nodes().phase !== 'running'; ) {
    if (Date.now() > deadline) throw new Error('the agents never all started');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the sandbox host', () => {
  it('makes a key and request per node, then starts every agent and gives each its neighbours once all listen', async () => {
    const { host, events } = fakeHost();
    expect(host.nodes().phase).toBe('enrolling');
    expect(Object.keys(await host.csrs())).toEqual(['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1']);
    await enrolled(host);
    expect(host.nodes()).toEqual({
      phase: 'running',
      nodes: [
        { node: 'root-1', port: 4001, process: 'up' },
        { node: 'leaf-1-1', port: 4002, process: 'up' },
        { node: 'root-2', port: 4003, process: 'up' },
        { node: 'leaf-2-1', port: 4004, process: 'up' },
      ],
    });
    expect(events).toEqual([
      'start root-1:4001 []',
      'start leaf-1-1:4002 []',
      'start root-2:4003 []',
      'start leaf-2-1:4004 []',
      'reload root-1 [4003 4002]',
      'reload leaf-1-1 [4001]',
      'reload root-2 [4001 4004]',
      'reload leaf-2-1 [4003]',
    ]);
  });

  it('refuses certificates that are missing or not for the node, and a second enrollment', async () => {
    const { host } = fakeHost();
    const csrs = await host.csrs();
    await expect(host.enroll(ca.certPem, {})).rejects.toMatchObject({ code: 'malformed', message: expect.stringMatching(/no certificate for root-1, leaf-1-1/) });
    const swapped = Object.fromEntries(Object.keys(csrs).map((node) => [node, signCsr(ca, csrs['root-1']!, 'peer').certPem]));
    await expect(host.enroll(ca.certPem, swapped)).rejects.toMatchObject({ code: 'malformed' });
    await enrolled(host);
    await expect(host.csrs()).rejects.toMatchObject({ code: 'conflict' });
  });

  it('stops a node keeping its port taken, and starts it again there with every neighbour', async () => {
    const { host, events, held, configs } = fakeHost();
    await enrolled(host);
    events.length = 0;
    expect(await host.stop('root-2')).toEqual({ node: 'root-2', port: 4003, process: 'stopped' });
    expect([...held]).toEqual([4003]);
    await expect(host.stop('root-2')).rejects.toMatchObject({ code: 'conflict', message: 'root-2 is stopped, not up' });
    expect(await host.start('root-2')).toEqual({ node: 'root-2', port: 4003, process: 'up' });
    expect(held.size).toBe(0);
    expect(events).toEqual(['stop root-2', 'start root-2:4003 [root-1 leaf-2-1]']);
    expect(configs.get('root-2')!.neighbours.map((n) => n.url)).toEqual(['https://127.0.0.1:4001', 'https://127.0.0.1:4004']);
  });

  it('refuses nodes it does not run', async () => {
    const { host } = fakeHost();
    await enrolled(host);
    await expect(host.stop('root-9')).rejects.toMatchObject({ code: 'not_found', message: 'root-9 is not a node of this sandbox' });
  });

  it('sees the overlay through the entry root, another root while it is down, and says when no root is up', async () => {
    const { host } = fakeHost();
    await enrolled(host);
    expect(await host.view()).toMatchObject({ ok: true, snapshot: { node: 'root-1' } });
    await host.stop('root-1');
    expect(await host.view()).toMatchObject({ ok: true, snapshot: { node: 'root-2' } });
    await host.stop('root-2');
    expect(await host.view()).toEqual({ ok: false, reason: 'no root of the sandbox is up' });
  });

  it('reports an agent that failed to start, with why, and starts the others', async () => {
    const { host } = fakeHost({ failing: ['leaf-2-1'] });
    await enrolled(host);
    expect(host.nodes().nodes.map((n) => `${n.node} ${n.process}${n.reason ? ` ${n.reason}` : ''}`)).toEqual(['root-1 up', 'leaf-1-1 up', 'root-2 up', 'leaf-2-1 failed EADDRINUSE']);
  });

  it('counts agents whose thread ended as failed, and starts them again on request', async () => {
    const { host, events } = fakeHost();
    await enrolled(host);
    host.lost(['root-2', 'leaf-2-1'], 'the worker failed: boom');
    expect(host.nodes().nodes.filter((n) => n.process !== 'up')).toEqual([
      { node: 'root-2', port: 4003, process: 'failed', reason: 'the worker failed: boom' },
      { node: 'leaf-2-1', port: 4004, process: 'failed', reason: 'the worker failed: boom' },
    ]);
    events.length = 0;
    expect(await host.start('root-2')).toEqual({ node: 'root-2', port: 4003, process: 'up' });
    expect(events).toEqual(['start root-2:4003 [root-1 leaf-2-1]']);
  });

  it('stops every agent and frees every held port when taken down', async () => {
    const { host, events, held } = fakeHost();
    await enrolled(host);
    await host.stop('leaf-1-1');
    events.length = 0;
    await host.down();
    expect(events.sort()).toEqual(['stop leaf-2-1', 'stop root-1', 'stop root-2']);
    expect(held.size).toBe(0);
    expect(host.nodes().phase).toBe('stopping');
  });
});
