import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleAdminState } from '../../src-shared/protocol/adminState.testkit.ts';
import { stateCopy } from './stateCopy.ts';
import type { StateCopy } from './stateCopy.ts';
import { stateFile } from './stateFile.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-admin-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function copy(topologyId: string): Promise<StateCopy> {
  const made = await stateCopy({ version: 1, storedAt: 1, storedBy: 1, state: sampleAdminState(topologyId) }, 1 << 20);
  if (!('copy' in made)) throw new Error(made.problem);
  return made.copy;
}

function open(current: () => StateCopy | undefined, maxBytes = 1 << 20) {
  const errors: unknown[] = [];
  const file = stateFile({ path: path.join(dir, 'admin-state.json'), maxBytes, current, now: () => Date.parse('2026-12-08T10:00:00Z'), onError: (e) => errors.push(e) });
  return { file, errors };
}

describe('the state file', () => {
  it('starts with nothing, keeps the newest state owner-only, and reads it back', async () => {
    let current: StateCopy | undefined;
    const { file, errors } = open(() => current);
    expect(await file.load()).toEqual({});
    current = await copy('topology-1');
    file.changed();
    current = await copy('topology-2');
    file.changed();
    await file.settled();
    expect((await stat(path.join(dir, 'admin-state.json'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dir, 'admin-state.json'))).toEqual(current.bytes);
    expect(await open(() => undefined).file.load()).toEqual({ copy: current });
    expect(errors).toEqual([]);
  });

  it.each([
    ['not JSON', 'not json'],
    ['not a state', '{"version":1}'],
    ['larger than a root keeps', 'x'.repeat(300)],
  ])('keeps a file that is %s aside, and says so', async (_what, text) => {
    await writeFile(path.join(dir, 'admin-state.json'), text);
    const read = await open(() => undefined, 200).file.load();
    expect(read.copy).toBeUndefined();
    expect(read.problem).toMatch(/^the administrator state file could not be used \(.+\); kept it as .*admin-state\.json\.corrupt-2026-12-08T10-00-00-000Z$/);
    expect(await readdir(dir)).toEqual(['admin-state.json.corrupt-2026-12-08T10-00-00-000Z']);
  });
});
