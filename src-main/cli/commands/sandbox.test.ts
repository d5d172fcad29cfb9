import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sandboxCommand } from './sandbox.ts';

let parent: string;
let dir: string;
beforeEach(() => {
  parent = mkdtempSync(path.join(tmpdir(), 'sandbox-command-'));
  dir = path.join(parent, 'sandbox');
  vi.stubEnv('RAINCOAT_SANDBOX_DIR', dir);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(parent, { recursive: true, force: true });
});

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await sandboxCommand.run(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('raincoat sandbox', () => {
  it.each([
    [[], 2, 'err', /raincoat sandbox: which command\?\n\nUsage: raincoat sandbox up/],
    [['--help'], 0, 'out', /^Usage: raincoat sandbox up \[TOPOLOGY\]/],
    [['up', '--help'], 0, 'out', /^Usage: raincoat sandbox up \[TOPOLOGY\]/],
    [['launch'], 2, 'err', /raincoat sandbox: unknown command "launch"/],
    [['up', 'a.json', 'b.json'], 2, 'err', /raincoat sandbox up: expected at most 1 argument, got 2/],
    [['up', '--fast'], 2, 'err', /raincoat sandbox up: Unknown option '--fast'/],
    [['stop'], 2, 'err', /raincoat sandbox stop: which node\?/],
    [['status', 'extra'], 2, 'err', /raincoat sandbox status: expected 0 file arguments, got 1/],
  ])('%j: exit %i with the usage', async (args, code, stream, message) => {
    const result = await run(...args);
    expect(result.code).toBe(code);
    expect(result[stream as 'out' | 'err']).toMatch(message);
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses an invalid topology with validate's messages and exit 1, starting nothing", async () => {
    const file = path.join(parent, 'bad.json');
    writeFileSync(file, JSON.stringify({ roots: [{ id: 1, name: 'a', internetAddress: '127.0.0.1', overlay: '10.1.0.0/16', maxClients: 10 }], tunnels: [{ a: 1, b: 2 }] }));
    const result = await run('up', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/roots\[0\]\.internetAddress: 127\.0\.0\.1 is a loopback address/);
    expect(result.err).toMatch(/tunnels\[0\]\.b: root 2 does not exist/);
    expect(existsSync(dir)).toBe(false);
  });

  it('says no sandbox runs, where none does', async () => {
    expect(await run('status')).toMatchObject({ code: 1, err: `raincoat sandbox status: no sandbox is running in ${dir}: start one with "raincoat sandbox up"\n` });
    expect(await run('stop', 'root-1')).toMatchObject({ code: 1, err: expect.stringMatching(/no sandbox is running/) });
    expect(await run('down')).toEqual({ code: 0, out: `no sandbox is running in ${dir}\n`, err: '' });
  });
});
