import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePlan } from '../render/fixtureKeys.testkit.ts';
import { KEYS_FILE, renderOverlay } from './renderOverlay.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-render-overlay-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const plan = samplePlan('pair');

describe('renderOverlay', () => {
  it('makes keys, writes every file and saves the keys, telling each step', async () => {
    const progress: unknown[] = [];
    const result = await renderOverlay({ plan, outDir: join(dir, 'a'), check: true, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ kind: 'rendered', dryRun: false, clientProfiles: plan.summary.leaves, output: { created: expect.any(Number), remove: [] } });
    expect(progress).toEqual([
      { step: 'keys', reusing: null },
      { step: 'files', count: result.kind === 'rendered' ? result.output.write.length : -1 },
    ]);
    expect(JSON.parse(await readFile(join(dir, 'a', KEYS_FILE), 'utf8')).keyType).toBe('ecdsa-p256');
    const again = await renderOverlay({ plan, outDir: join(dir, 'a') });
    expect(again).toMatchObject({ kind: 'rendered', newKeys: 0, output: { created: 0 } });
  });

  it('renews the certificates that expire within 30 days, and says which', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const later = (days: number) => new Date(t0.getTime() + days * 86_400_000);
    const out = join(dir, 'renew');
    expect(await renderOverlay({ plan, outDir: out, now: t0, clientsPerRoot: 1 })).toMatchObject({ kind: 'rendered', renewed: [] });
    const kept = await renderOverlay({ plan, outDir: out, now: later(794), clientsPerRoot: 1 });
    expect(kept).toMatchObject({ kind: 'rendered', newKeys: 0, renewed: [] });
    const renewed = await renderOverlay({ plan, outDir: out, now: later(796), clientsPerRoot: 1 });
    if (renewed.kind !== 'rendered') throw new Error(renewed.kind);
    // 825-day certificates: every server and client certificate of the pair (2 roots, 6 leaves with two each, 2 clients).
    expect(renewed.renewed).toHaveLength(2 + 12 + 2);
    expect(renewed.newKeys).toBe(16);
    expect(renewed.renewed[0]).toEqual({ holder: 'root-1', role: 'uplink server', replacedNotAfter: later(825) });
    const keys = JSON.parse(await readFile(join(out, KEYS_FILE), 'utf8'));
    expect(await readFile(join(out, 'root-1', 'pki', 'uplink-server.crt'), 'utf8')).toBe(keys.roots['1'].uplinkServer.certPem);
  });

  it('writes nothing, keys included, on a dry run', async () => {
    const result = await renderOverlay({ plan, outDir: join(dir, 'dry'), dryRun: true });
    expect(result).toMatchObject({ kind: 'rendered', dryRun: true, newKeys: 23 });
    expect(existsSync(join(dir, 'dry'))).toBe(false);
  });

  it.each([
    {
      what: 'a keys file that is not one',
      prepare: async (out: string) => (await mkdir(out), writeFile(join(out, KEYS_FILE), '{"version": 1}')),
      reason: /raincoat-keys\.json is not an overlay keys file \(keyType, .*\); move it aside to start a new overlay, nothing was written$/,
      keyType: undefined,
    },
    {
      what: 'another key type for an existing overlay',
      prepare: async (out: string) => (await mkdir(out), writeFile(join(out, KEYS_FILE), await readFile(join(dir, 'a', KEYS_FILE)))),
      reason: /uses ecdsa-p256 keys; rsa-2048 applies to a new overlay only$/,
      keyType: 'rsa-2048' as const,
    },
    {
      what: 'a folder written before render kept a record, saying how to keep its keys',
      prepare: async (out: string) => {
        await mkdir(join(out, 'root-1'), { recursive: true });
        await writeFile(join(out, 'root-1', 'vyos.set'), 'set system host-name root-1\n');
        await writeFile(join(out, KEYS_FILE), await readFile(join(dir, 'a', KEYS_FILE)));
      },
      reason: /holds files that no render wrote \(root-1\/vyos\.set\); render into a new or empty folder; to keep this overlay's keys, move raincoat-keys\.json alone into a new folder and render there$/,
      keyType: undefined,
    },
  ])('refuses $what before making a key', async ({ prepare, reason, keyType }) => {
    const out = join(dir, `refused-${Math.random().toString(36).slice(2)}`);
    await prepare(out);
    const before = await readFile(join(out, KEYS_FILE), 'utf8');
    expect(await renderOverlay({ plan, outDir: out, keyType })).toEqual({ kind: 'refused', reason: expect.stringMatching(reason) });
    expect(await readFile(join(out, KEYS_FILE), 'utf8')).toBe(before);
  });
});
