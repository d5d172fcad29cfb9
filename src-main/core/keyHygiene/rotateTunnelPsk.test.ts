import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deployChain, keptAt, keptKeys } from './deployedOverlay.testkit.ts';
import { testUnlocker } from '../secrets/unlocker.testkit.ts';
import { rotateTunnelPsk } from './rotateTunnelPsk.ts';

let stateDir: string;
beforeEach(async () => (stateDir = await mkdtemp(path.join(tmpdir(), 'raincoat-rotate-psk-'))));
afterEach(() => rm(stateDir, { recursive: true, force: true }));

const keysFile = () => path.join(stateDir, 'raincoat-keys.json');
const psks = async (): Promise<Record<string, { psk: string }>> => (await keptKeys(stateDir)).tunnels;

const deploy = () => deployChain(stateDir);

describe('rotating a tunnel’s pre-shared key', () => {
  it('makes the next deploy list the new key and change the two roots’ files only, with the key shown as a secret', async () => {
    await deploy();
    const before = await psks();
    expect(await rotateTunnelPsk(keptAt(stateDir), 2, 1)).toEqual({ ok: true, result: { tunnel: 'tunnel-1-2', alreadyMarked: false } });
    expect(Object.keys(await psks())).toEqual(['tunnel-2-3']);
    expect(statSync(keysFile()).mode & 0o777).toBe(0o600);
    // A second rotation before the deploy changes nothing more.
    expect(await rotateTunnelPsk(keptAt(stateDir), 1, 2)).toEqual({ ok: true, result: { tunnel: 'tunnel-1-2', alreadyMarked: true } });

    const plan = await deploy();
    expect(plan.keys).toEqual(['tunnel-1-2: pre-shared key']);
    expect(plan.nodes.filter((n) => n.change !== 'unchanged').map((n) => n.node)).toEqual(['root-1', 'root-2']);
    const swanctl = plan.nodes.find((n) => n.node === 'root-1')!.files.find((f) => f.path === 'swanctl.conf');
    // Only the secret changed: the text with secrets replaced is the same, so the diff is empty.
    expect(swanctl).toEqual({ path: 'swanctl.conf', change: 'changed', diff: [] });
    const after = await psks();
    expect(after['tunnel-1-2']!.psk).not.toBe(before['tunnel-1-2']!.psk);
    expect(after['tunnel-2-3']).toEqual(before['tunnel-2-3']);
  });

  it('refuses a tunnel the deployed topology does not have, and leaves the keys as they were', async () => {
    await deploy();
    const kept = await readFile(keysFile(), 'utf8');
    expect(await rotateTunnelPsk(keptAt(stateDir), 1, 3)).toEqual({ ok: false, reason: 'the deployed topology has no tunnel between root-1 and root-3 (its tunnels: tunnel-1-2, tunnel-2-3)' });
    expect(await readFile(keysFile(), 'utf8')).toBe(kept);
  });

  it('refuses when nothing was deployed from this state folder', async () => {
    expect(await rotateTunnelPsk(keptAt(stateDir), 1, 2)).toEqual({ ok: false, reason: `nothing was deployed to this overlay from ${stateDir}: its keys change once it runs` });
  });

  it('refuses when the keys are missing, or not a keys file, without quoting them', async () => {
    await deploy();
    await rm(keysFile());
    expect(await rotateTunnelPsk(keptAt(stateDir), 1, 2)).toEqual({ ok: false, reason: `${keysFile()} does not exist: the overlay's keys are kept where it was deployed from` });
    await writeFile(keysFile(), '{"version": 1, "secret": "do-not-print"}');
    const refused = await rotateTunnelPsk(keptAt(stateDir), 1, 2);
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining('is not an overlay keys file') });
    expect(JSON.stringify(refused)).not.toContain('do-not-print');
  });

  it('refuses with a wrong passphrase, saying so, and leaves the keys as they were', async () => {
    await deploy();
    const kept = await readFile(keysFile(), 'utf8');
    expect(await rotateTunnelPsk({ stateDir, secrets: testUnlocker({ passphrase: 'not the passphrase at all' }) }, 1, 2)).toEqual({
      ok: false,
      reason: `${keysFile()}: wrong passphrase (the one of the test): it does not open these secrets; nothing was changed`,
    });
    expect(await readFile(keysFile(), 'utf8')).toBe(kept);
  });
});
