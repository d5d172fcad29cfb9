import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TEST_PASSPHRASE } from '../../core/secrets/unlocker.testkit.ts';
import { keptKeysFixture } from './keptKeysCommand.testkit.ts';
import { createRotatePskCommand } from './rotatePsk.ts';

const fixture = keptKeysFixture(createRotatePskCommand);
const rotatePsk = fixture.run;
const withOverlay = (...args: string[]) => fixture.run(...args, ...fixture.withOverlay());
const keptPsks = async () => Object.keys((await fixture.keys()).tunnels);
const keysFile = () => path.join(fixture.stateDir(), 'raincoat-keys.json');

describe('raincoat rotate-psk', () => {
  it.each([
    [['1'], 'expected two roots, A and B, got 1'],
    [['1', '2', '3'], 'expected at most 2 arguments, got 3'],
    [['1', 'leaf-2-1'], '"leaf-2-1" is not a root: expected a root id (2) or a root name (root-2)'],
    [['root-1', '0'], '"0" is not a root'],
  ])('refuses %j with a usage problem: %s', async (args, message) => {
    expect(await withOverlay(...args)).toMatchObject({ code: 2, out: '', err: expect.stringContaining(message) });
  });

  it('refuses without an overlay: no sandbox runs here and no --access was given', async () => {
    expect(await rotatePsk('1', '2')).toMatchObject({ code: 2, err: expect.stringContaining('no sandbox overlay is running here') });
  });

  it('refuses a tunnel the deployed topology lacks, with the reason, and changes no key', async () => {
    expect(await withOverlay('root-3', '1')).toEqual({
      code: 1,
      out: '',
      err: 'raincoat rotate-psk: test: the deployed topology has no tunnel between root-1 and root-3 (its tunnels: tunnel-1-2, tunnel-2-3)',
    });
    expect(await keptPsks()).toEqual(['tunnel-1-2', 'tunnel-2-3']);
    expect(fixture.recorded()).toEqual([]);
  });

  it('refuses an overlay never deployed from this state folder', async () => {
    const run = await rotatePsk('1', '2', '--access', fixture.at('access.json'));
    expect(run).toMatchObject({ code: 1, err: expect.stringContaining(`nothing was deployed to this overlay from ${path.join(fixture.at('xdg'), 'raincoat', 'overlays')}`) });
  });

  it('marks the key, says what the next deploy does with it, and says so again when it was already marked', async () => {
    expect(await withOverlay('root-2', '3')).toEqual({
      code: 0,
      out: 'tunnel-2-3: its pre-shared key is marked for rotation; the next "raincoat deploy" makes a new one and carries it to root-2 and root-3 only',
      err: '',
    });
    expect(await keptPsks()).toEqual(['tunnel-1-2']);
    expect((await withOverlay('3', '2')).out).toBe('tunnel-2-3: its pre-shared key was already marked for rotation; the next "raincoat deploy" makes a new one and carries it to root-2 and root-3 only');
    // Each recorded in the overlay's audit trail, in the command's session.
    expect(fixture.recorded()).toEqual([
      { kind: 'psk-rotated', tunnel: 'tunnel-2-3', alreadyMarked: false },
      { kind: 'psk-rotated', tunnel: 'tunnel-2-3', alreadyMarked: true },
    ]);
  });

  it('refuses a wrong passphrase, or none to be had, saying so, and changes no key', async () => {
    const before = await readFile(keysFile(), 'utf8');
    expect(await fixture.runWith({ passphrase: 'not the passphrase at all' }, '1', '2', ...fixture.withOverlay())).toEqual({
      code: 1,
      out: '',
      err: `raincoat rotate-psk: test: ${keysFile()}: wrong passphrase (the one from RAINCOAT_PASSPHRASE): it does not open these secrets; nothing was changed`,
    });
    expect(await fixture.runWith({ passphrase: undefined }, '1', '2', ...fixture.withOverlay())).toEqual({
      code: 1,
      out: '',
      err: `raincoat rotate-psk: test: ${keysFile()}: no passphrase: the passphrase of the overlay's keys is needed; set RAINCOAT_PASSPHRASE, or run the command on a terminal to be asked for it`,
    });
    expect(await readFile(keysFile(), 'utf8')).toBe(before);
  });

  it('asks for the passphrase on the terminal when the environment has none', async () => {
    expect(await fixture.runWith({ passphrase: undefined, typed: [TEST_PASSPHRASE] }, '1', '2', ...fixture.withOverlay())).toMatchObject({ code: 0, err: '' });
    expect(await keptPsks()).toEqual([]);
  });
});
