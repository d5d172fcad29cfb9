import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import { findSandbox } from './findSandbox.ts';

const TOKEN = 'k'.repeat(43);
const dirs: string[] = [];
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(hostFile?: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'find-sandbox-'));
  dirs.push(dir);
  if (hostFile !== undefined) writeFileSync(path.join(dir, SANDBOX_FILES.host), typeof hostFile === 'string' ? hostFile : JSON.stringify(hostFile));
  return dir;
}

/** A pid no process has: Linux's pid_max is at most 2^22. */
const GONE = 2 ** 30;

describe('findSandbox', () => {
  it.each([
    ['no host file', undefined, { state: 'none' }],
    ['a host file whose process is gone', { pid: GONE, port: 4000, token: TOKEN }, { state: 'stale', pid: undefined, why: `its host (pid ${GONE}) is gone` }],
    ['a host file no host wrote', '{"pid":', { state: 'stale', pid: undefined, why: "host.json is not a sandbox host's file" }],
  ])('finds none running with %s', async (_, hostFile, expected) => {
    expect(await findSandbox(folder(hostFile))).toEqual(expected);
  });

  it('finds one running when its live host answers, and stale when it does not', async () => {
    server = createServer((request, response) => {
      response.writeHead(request.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify(request.headers.authorization === `Bearer ${TOKEN}` ? { phase: 'running', nodes: [] } : { error: 'unauthenticated', reason: 'wrong token' }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    expect(await findSandbox(folder({ pid: process.pid, port, token: TOKEN }))).toMatchObject({ state: 'running', nodes: { phase: 'running', nodes: [] } });
    expect(await findSandbox(folder({ pid: process.pid, port, token: 'z'.repeat(43) }))).toEqual({ state: 'stale', pid: process.pid, why: 'wrong token' });
  });
});
