import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXIT, formatStatus, parseArgs, runCli } from './cli.ts';
import type { CliIo } from './cli.ts';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const served: string[] = [];
  const hosted: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    serve: async (config) => {
      served.push(config.node);
      return EXIT.ok;
    },
    hostSandbox: async (dir) => {
      hosted.push(dir);
      return EXIT.ok;
    },
  };
  return { io, out, err, served, hosted };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function configFile(content: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
  dirs.push(dir);
  const file = path.join(dir, 'agent.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('parseArgs', () => {
  it.each([
    [[], { command: 'help' }],
    [['--help'], { command: 'help' }],
    [['version'], { command: 'version' }],
    [['start', '--config', 'a.json'], { command: 'start', options: { '--config': 'a.json' } }],
    [['status', '--json', '--config', 'a.json'], { command: 'status', options: { '--config': 'a.json' } }],
    [['sandbox-host', '--dir', '/tmp/sb'], { command: 'sandbox-host', options: { '--dir': '/tmp/sb' } }],
  ])('%j', (argv, expected) => {
    expect(parseArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [['launch'], 'unknown command "launch"'],
    [['start'], 'start: missing --config'],
    [['start', '--config'], '--config needs a value'],
    [['start', '--config', 'a', '--fast'], 'start: unknown argument "--fast"'],
    [['install-cert', '--config', 'a', '--cert', 'c'], 'install-cert: missing --ca'],
    [['sandbox-host'], 'sandbox-host: missing --dir'],
  ])('%j is a usage error', (argv, message) => {
    expect(parseArgs(argv)).toBe(message);
  });
});

describe('runCli', () => {
  it('prints the version and the help', async () => {
    const { io, out } = fakeIo();
    expect(await runCli(['version'], io)).toBe(EXIT.ok);
    expect(await runCli(['--help'], io)).toBe(EXIT.ok);
    expect(out[0]).toBe('dev');
    expect(out[1]).toMatch(/raincoat-agent start --config FILE/);
  });

  it('answers a usage error with the usage and exit code 2', async () => {
    const { io, err } = fakeIo();
    expect(await runCli(['start'], io)).toBe(EXIT.usage);
    expect(err[0]).toMatch(/^start: missing --config\n\nraincoat-agent/);
  });

  it.each([
    ['a missing file', () => '/nonexistent/agent.json', /agent.json: cannot read: no such file/],
    ['a file that is not JSON', () => configFile('{"node":'), /agent.json:1:9: not JSON: unexpected end of file/],
    ['an invalid configuration', () => configFile({ node: 'root-1' }), /agent.json: listen: missing, expected an object/],
  ])('refuses %s before starting anything', async (_name, file, message) => {
    const { io, err, served } = fakeIo();
    expect(await runCli(['start', '--config', file()], io)).toBe(EXIT.failed);
    expect(err.join('\n')).toMatch(message);
    expect(served).toEqual([]);
  });

  it('starts with a valid configuration', async () => {
    const { io, served } = fakeIo();
    const file = configFile({ node: 'leaf-2-1', listen: { host: '0.0.0.0', port: 7443 }, dataDir: '/var/lib/raincoat', backend: { kind: 'dry-run', dir: '/tmp/x' } });
    expect(await runCli(['start', '--config', file], io)).toBe(EXIT.ok);
    expect(served).toEqual(['leaf-2-1']);
  });

  it('hosts the sandbox of the folder given, reading no agent configuration', async () => {
    const { io, served, hosted } = fakeIo();
    expect(await runCli(['sandbox-host', '--dir', '/tmp/sb'], io)).toBe(EXIT.ok);
    expect(hosted).toEqual(['/tmp/sb']);
    expect(served).toEqual([]);
  });
});

describe('formatStatus', () => {
  it('lines nodes up in a table, with the reason of a failure', () => {
    const text = formatStatus({
      node: 'root-1',
      generatedAt: Date.parse('2030-01-01T00:00:00Z'),
      nodes: [
        { node: 'root-1', state: 'alive', lastHeartbeat: Date.parse('2030-01-01T00:00:00Z'), topologyId: 't1' },
        { node: 'leaf-1-1', state: 'failed', reason: 'apply failed', lastHeartbeat: null, topologyId: null },
      ],
    });
    expect(text).toBe(
      [
        'status as seen by root-1 at 2030-01-01T00:00:00.000Z',
        'NODE      STATE   LAST HEARTBEAT            TOPOLOGY  REASON',
        'root-1    alive   2030-01-01T00:00:00.000Z  t1',
        'leaf-1-1  failed  -                         -         apply failed',
      ].join('\n'),
    );
  });
});
