import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keptStateText } from '../../../src-shared/protocol/adminState.ts';
import type { AgentResult } from '../../core/agentClient/agentAnswer.ts';
import { keptState, sampleRecord, sealedKeys } from '../../core/adminState/adminState.testkit.ts';
import { overlayStateDir } from '../../core/deployRun/overlayState.ts';
import { fakeAccess } from '../../core/deployRun/fakeOverlay.testkit.ts';
import { TEST_PASSPHRASE } from '../../core/secrets/unlocker.testkit.ts';
import { createRestoreCommand } from './restore.ts';
import { answered, refused, runSessionCommand, TOKEN, twoRootEntry } from './sessionCommand.testkit.ts';

const access = fakeAccess({ 'root-1': 'dry-run', 'root-2': 'dry-run' });
let dir: string;
let state: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-restore-'));
  state = path.join(dir, 'state');
  await writeFile(path.join(dir, 'access.json'), JSON.stringify(access));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const overlayDir = () => overlayStateDir(state, access);
const STORED_AT = Date.parse('2026-12-08T10:00:05Z');

/** The one state the overlay's roots keep in these tests, read whole in one page. */
let kept: Promise<AgentResult<'readAdminState'>> | undefined;
function keeping(): Promise<AgentResult<'readAdminState'>> {
  kept ??= (async () => {
    const { text, head } = await keptStateText(await keptState(sampleRecord('topo-2'), await sealedKeys(), STORED_AT));
    return answered<'readAdminState'>({ head, offset: 0, text });
  })();
  return kept;
}

const restore = async (argv: string[], read: AgentResult<'readAdminState'>, passphrase = TEST_PASSPHRASE) => {
  const client = twoRootEntry({ readAdminState: () => read });
  const run = await runSessionCommand(createRestoreCommand, ['--access', path.join(dir, 'access.json'), '--state', state, ...argv], {
    client,
    env: { RAINCOAT_SANDBOX_DIR: path.join(dir, 'no-sandbox'), RAINCOAT_PASSWORD: 'the administrator password', RAINCOAT_PASSPHRASE: passphrase },
  });
  return { ...run, calls: client.calls.map((c) => [c.route, c.session]) };
};

describe('raincoat restore', () => {
  it('reads the state a root keeps in a session, and writes this machine’s folder of the overlay once the passphrase opens its keys', async () => {
    const run = await restore([], await keeping());
    expect(run).toMatchObject({
      code: 0,
      err: '',
      out: [
        `root-1 keeps topology topo-2, deployed at 2026-12-08T10:00:00.000Z, as root-2 took it at 2026-12-08T10:00:05.000Z`,
        `restored ${overlayDir()}: the keys (sealed), what 2 nodes run, and the pending topology (2 roots, the deployed one)`,
        '',
      ].join('\n'),
    });
    expect(run.calls).toEqual([
      ['login', undefined],
      ['loginProgress', TOKEN],
      ['loginProgress', TOKEN],
      ['readAdminState', TOKEN],
      ['logout', TOKEN],
    ]);
    expect((await readdir(overlayDir())).sort()).toEqual(['deployed.json', 'pending-topology.json', 'raincoat-keys.json']);
    expect((await restore([], await keeping())).out).toContain(`${overlayDir()} has that state already: nothing was written\n`);
  });

  it('writes nothing with a wrong passphrase', async () => {
    const run = await restore([], await keeping(), 'not the passphrase at all');
    expect(run).toMatchObject({ code: 1, err: 'raincoat restore: wrong passphrase (the one from RAINCOAT_PASSPHRASE): it does not open these secrets; nothing was changed\n' });
    expect(run.out).not.toContain('restored');
    await expect(readdir(overlayDir())).rejects.toThrow('ENOENT');
  });

  it('says so when the root keeps none', async () => {
    const run = await restore([], refused('not_found', 'no administrator state here: none was put at a root this one has heard from since (a deploy keeps it)', 404));
    expect(run).toMatchObject({ code: 1, out: '', err: 'raincoat restore: root-1 keeps no administrator state to restore: no administrator state here: none was put at a root this one has heard from since (a deploy keeps it)\n' });
  });

  it('leaves a state of this machine that differs, saying what differs; replaces it with --force', async () => {
    await restore([], await keeping());
    await writeFile(path.join(overlayDir(), 'deployed.json'), JSON.stringify(sampleRecord('topo-3', '2026-12-09T10:00:00.000Z')));
    const refusedRun = await restore([], await keeping());
    expect(refusedRun).toMatchObject({ code: 1 });
    expect(refusedRun.err).toBe(
      [
        "raincoat restore: this machine last deployed topology topo-3 (at 2026-12-09T10:00:00.000Z), newer than the overlay's topo-2 (at 2026-12-08T10:00:00.000Z)",
        'raincoat restore: nothing was changed: --force replaces them, keeping the files replaced aside',
        '',
      ].join('\n'),
    );
    const forced = await restore(['--force'], await keeping());
    expect(forced).toMatchObject({ code: 0, err: '' });
    expect(forced.out).toMatch(/\nkept aside .*deployed\.json\.replaced-.*\n/);
  });

  it('takes no file argument', async () => {
    expect(await restore(['topology.json'], await keeping())).toMatchObject({ code: 2, err: expect.stringContaining('raincoat restore: expected 0 file arguments, got 1') });
  });
});
