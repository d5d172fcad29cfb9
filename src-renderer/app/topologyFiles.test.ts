import { describe, expect, it, vi } from 'vitest';
import type { ChangeResult } from '../../src-shared/contract/contract.ts';
import { validateTopology } from '../../src-shared/topology/validate.ts';
import type { BrowserPage } from './topologyFiles.ts';
import { browserFiles, dialogFiles } from './topologyFiles.ts';

const root = (id: number, name: string) => ({ id, name, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 100 });
const good = { roots: [root(1, 'aws-east'), root(2, 'gcp')], tunnels: [{ a: 1, b: 2 }] };
const stored = { ok: true, state: {} } as unknown as ChangeResult;

function page(text: string | null) {
  const downloads: Array<{ name: string; text: string }> = [];
  const fake: BrowserPage = {
    pickFile: async () => (text === null ? null : { name: 'mine.json', text: async () => text }),
    download: (name, body) => downloads.push({ name, text: body }),
  };
  return { fake, downloads };
}

describe('browserFiles', () => {
  it('refuses a file with problems, all of them, and sends nothing', async () => {
    const save = vi.fn(async () => stored);
    const bad = { roots: [root(1, 'aws-east'), { ...root(2, 'aws-east'), overlay: '10.1.0.0/16' }], tunnels: [{ a: 1, b: 2 }, { a: 2, b: 1 }, { a: 1, b: 7 }] };
    const outcome = await browserFiles({ 'topology.save': save }, page(JSON.stringify(bad)).fake).importTopology();
    expect(outcome).toEqual({
      kind: 'refused',
      reason: 'mine.json not opened: 4 problems; the pending topology is unchanged',
      problems: [
        { path: 'roots[1].name', message: '"aws-east" is already used by root 1 (aws-east)' },
        { path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps the overlay of root 1 (aws-east)' },
        { path: 'tunnels[1]', message: 'there is already a tunnel between root 2 (aws-east) and root 1 (aws-east)' },
        { path: 'tunnels[2].b', message: 'root 7 does not exist' },
      ],
    });
    expect(save).not.toHaveBeenCalled();
  });

  it('says where a file is not JSON', async () => {
    const save = vi.fn(async () => stored);
    expect(await browserFiles({ 'topology.save': save }, page('{"roots": [,]}').fake).importTopology()).toEqual({ kind: 'refused', reason: expect.stringMatching(/^mine\.json:1:\d+: not JSON: /), problems: [] });
    expect(save).not.toHaveBeenCalled();
  });

  it('saves a good file, and does nothing when the picker is cancelled', async () => {
    const save = vi.fn(async () => stored);
    expect(await browserFiles({ 'topology.save': save }, page(JSON.stringify(good)).fake).importTopology()).toEqual({ kind: 'imported' });
    expect(save).toHaveBeenCalledWith({ topology: good });
    expect(await browserFiles({ 'topology.save': save }, page(null).fake).importTopology()).toEqual({ kind: 'cancelled' });
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('downloads the plain JSON that validation accepts', async () => {
    const { fake, downloads } = page(null);
    expect(await browserFiles({ 'topology.save': vi.fn() }, fake).exportTopology(good)).toBe('your downloads');
    expect(downloads.map((d) => d.name)).toEqual(['topology.json']);
    expect(validateTopology(JSON.parse(downloads[0]!.text))).toEqual({ ok: true, topology: good });
  });
});

describe('dialogFiles', () => {
  it('opens the file main’s dialog chose, and passes on main’s refusal', async () => {
    const refusal = { ok: false as const, reason: '/a/t.json not opened: 1 problem; the pending topology is unchanged', problems: [{ path: 'roots[0].overlay', message: 'x' }] };
    const open = vi.fn(async () => refusal);
    const files = dialogFiles({ 'topologyFile.choose': async () => ({ path: '/a/t.json' }), 'topology.open': open, 'topologyFile.export': async () => ({ savedTo: '/a/out.json' }) });
    expect(await files.importTopology()).toEqual({ kind: 'refused', reason: refusal.reason, problems: refusal.problems });
    expect(open).toHaveBeenCalledWith({ path: '/a/t.json' });
    expect(await files.exportTopology(good)).toBe('/a/out.json');
  });

  it('does nothing when the dialog is cancelled', async () => {
    const open = vi.fn(async () => stored);
    const files = dialogFiles({ 'topologyFile.choose': async () => ({ path: null }), 'topology.open': open, 'topologyFile.export': async () => ({ savedTo: null }) });
    expect(await files.importTopology()).toEqual({ kind: 'cancelled' });
    expect(open).not.toHaveBeenCalled();
    expect(await files.exportTopology(good)).toBeNull();
  });
});
