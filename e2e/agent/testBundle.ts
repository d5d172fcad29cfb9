// Builds the agent bundle once per test process into a folder of its own, so tests run the file that ships.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAgentBundle } from '../../src-agent/build.ts';
import { onProcessEnd } from '../lab/exitCleanup.ts';

let built: Promise<string> | undefined;

export function testBundle(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'raincoat-bundle-'));
    onProcessEnd(() => rmSync(dir, { recursive: true, force: true }));
    return (await buildAgentBundle(path.join(dir, 'raincoat-agent.mjs'))).outfile;
  })();
  return built;
}
