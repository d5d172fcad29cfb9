import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runRaincoat as run } from './runRaincoat.testkit.ts';
import { makeRoot } from '../../src-shared/topology/arbitraries.testkit.ts';

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-cli-'));
  const good = { roots: [makeRoot(1, { maxClients: 250 }), makeRoot(2, { maxClients: 80 })], tunnels: [{ a: 1, b: 2 }] };
  await writeFile(file('good.json'), JSON.stringify(good));
  await writeFile(file('grown.json'), JSON.stringify({ roots: [makeRoot(1, { maxClients: 350 }), makeRoot(3)], tunnels: [] }));
  await writeFile(file('bad.json'), JSON.stringify({ roots: [makeRoot(1), makeRoot(1)], tunnels: [{ a: 1, b: 7 }] }));
  await writeFile(file('syntax.json'), '{\n  "roots": [\n    {"id": 1,}\n  ]\n}\n');
  await writeFile(file('bom.json'), `\ufeff${JSON.stringify(good)}`);
  await writeFile(file('one-of-each.json'), JSON.stringify({ roots: [makeRoot(1, { maxClients: 100 }), makeRoot(2, { maxClients: 100 })], tunnels: [{ a: 1, b: 2 }] }));
  await writeFile(file('lone.json'), JSON.stringify({ roots: [makeRoot(1, { maxClients: 100 })], tunnels: [] }));
  await writeFile(file('bad-address.json'), JSON.stringify({ 'leaf-1-1': 'x', 'root-1': '198.51.100.7', 'leaf-7-1': '198.51.100.8' }));
  await writeFile(file('addresses-list.json'), JSON.stringify(['198.51.100.7']));
  const names = { 1: 'on-prem', 2: 'aws-east', 3: 'gcp-west', 4: 'azure-north' };
  const clouds = (tunnels: Array<[number, number]>) => ({ roots: [1, 2, 3, 4].map((id) => makeRoot(id, { name: names[id as 1], maxClients: 10 })), tunnels: tunnels.map(([a, b]) => ({ a, b })) });
  await writeFile(file('hub.json'), JSON.stringify(clouds([[1, 2], [1, 3], [1, 4]])));
  await writeFile(file('islands.json'), JSON.stringify(clouds([[1, 2], [3, 4]])));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('raincoat validate', () => {
  it('says ok with a summary for a valid file', async () => {
    expect(await run('validate', file('good.json'))).toEqual({ code: 0, out: 'ok: 2 roots, 1 tunnel, 4 leaves, client capacity 330\n', err: '' });
  });

  it('accepts a file that starts with a byte-order mark', async () => {
    expect((await run('validate', file('bom.json'))).code).toBe(0);
  });

  it('exits 1 with one line per problem', async () => {
    const r = await run('validate', file('bad.json'));
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([
      'roots[1].id: 1 is already used by root 1 (cloud-1)',
      'roots[1].name: "cloud-1" is already used by root 1 (cloud-1)',
      'roots[1].internetAddress: "203.0.0.1" is already used by root 1 (cloud-1)',
      'roots[1].overlay: 10.1.0.0/16 overlaps the overlay of root 1 (cloud-1)',
      'tunnels[0].b: root 7 does not exist',
    ]);
  });

  it('exits 2 naming the line and column of a JSON syntax error: the trailing comma itself, on one line', async () => {
    const r = await run('validate', file('syntax.json'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${file('syntax.json')}:3:13: not JSON: trailing comma\n`);
  });

  it('exits 2 when the file cannot be read', async () => {
    const r = await run('validate', file('missing.json'));
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('missing.json: cannot read: no such file') });
  });

  it.each([['validate'], ['plan'], ['diff']])('%s has --help and refuses wrong arguments', async (name) => {
    const help = await run(name, '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain(`Usage: raincoat ${name}`);
    const wrong = await run(name, '--bogus');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain(`Usage: raincoat ${name}`);
  });

  it.each([
    ['lone.json', 'ok: 1 root, 0 tunnels, 1 leaf, client capacity 100'],
    ['one-of-each.json', 'ok: 2 roots, 1 tunnel, 2 leaves, client capacity 200'],
  ])('counts %s in proper English', async (name, summary) => {
    expect((await run('validate', file(name))).out).toBe(`${summary}\n`);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(await run('--version')).toEqual({ code: 0, out: `raincoat ${version}\n`, err: '' });
  });

  it('lists the commands and refuses an unknown one', async () => {
    expect((await run('--help')).out).toMatch(/validate[\s\S]*plan[\s\S]*diff/);
    expect(await run('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
  });
});

describe('raincoat plan', () => {
  it('prints a table of roots and leaves', async () => {
    const r = await run('plan', file('good.json'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/root-1\s+cloud-1\s+203\.0\.0\.1\s+10\.1\.0\.0\/22\s+10\.1\.0\.1\s+250/);
    expect(r.out).toMatch(/leaf-1-3\s+10\.1\.5\.0\/25\s+10\.1\.5\.1\s+10\.1\.0\.4\s+50/);
    expect(r.out).toContain('tunnel-1-2: root-1 <-> root-2');
  });

  it('prints identical JSON bytes on every run', async () => {
    const a = await run('plan', file('good.json'), '--json');
    const b = await run('plan', '--json', file('good.json'));
    expect(a.out).toBe(b.out);
    expect(JSON.parse(a.out).summary).toEqual({ roots: 2, tunnels: 1, leaves: 4, clientCapacity: 330 });
  });

  it('counts one root, leaf and tunnel in the singular', async () => {
    expect((await run('plan', file('lone.json'))).out).toMatch(/\n1 root, 0 tunnels, 1 leaf, client capacity 100\n$/);
  });

  it('gives an invalid topology validate messages and exit 1', async () => {
    const r = await run('plan', file('bad.json'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('tunnels[0].b: root 7 does not exist');
    expect(r.out).toBe('');
  });
});

describe('reachability in validate and plan', () => {
  it('validate warns of clouds no path joins, on standard error, and still exits 0', async () => {
    const r = await run('validate', file('islands.json'));
    expect(r).toEqual({
      code: 0,
      out: 'ok: 4 roots, 2 tunnels, 4 leaves, client capacity 40\n',
      err: 'warning: on-prem and the 1 root joined to it cannot reach gcp-west and the 1 root joined to it: no path of tunnels\n',
    });
    expect(await run('validate', file('grown.json'))).toMatchObject({ code: 0, err: 'warning: cloud-1 cannot reach cloud-3: no path of tunnels\n' });
  });

  it('plan warns the same way, and its JSON stays JSON on standard output', async () => {
    const r = await run('plan', file('islands.json'), '--json');
    expect(r.code).toBe(0);
    expect(r.err).toBe('warning: on-prem and the 1 root joined to it cannot reach gcp-west and the 1 root joined to it: no path of tunnels\n');
    expect(JSON.parse(r.out).routes.islands).toEqual([[1, 2], [3, 4]]);
  });

  it('plan lists what each tunnel carries: the hub carries the spokes to each other', async () => {
    const r = await run('plan', file('hub.json'));
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('routes:\n  tunnel-1-2: 10.1.0.0/16, 10.3.0.0/16, 10.4.0.0/16 <-> 10.2.0.0/16\n  tunnel-1-3: 10.1.0.0/16, 10.2.0.0/16, 10.4.0.0/16 <-> 10.3.0.0/16\n  tunnel-1-4: 10.1.0.0/16, 10.2.0.0/15 <-> 10.4.0.0/16\n');
  });

  it.each([
    [['--without', 'tunnel:1-3'], 'without tunnel-1-3:\n  on-prem and the 2 roots joined to it and gcp-west would lose each other\n'],
    [['--without', 'root:1'], 'without root-1 (on-prem):\n  aws-east and gcp-west would lose each other\n  aws-east and azure-north would lose each other\n  gcp-west and azure-north would lose each other\n'],
    [['--without', 'root:4', '--without', 'tunnel:2-1'], 'without root-4 (azure-north): no clouds would lose each other\nwithout tunnel-1-2:\n  on-prem and the 2 roots joined to it and aws-east would lose each other\n'],
  ])('plan %j says which clouds would lose each other', async (extra, answer) => {
    const r = await run('plan', file('hub.json'), ...extra);
    expect(r.code).toBe(0);
    expect(r.out.endsWith(`\n${answer}`)).toBe(true);
  });

  it.each([
    ['tunnel:2-3', 'raincoat plan: --without tunnel:2-3: there is no tunnel-2-3'],
    ['root:9', 'raincoat plan: --without root:9: there is no root 9'],
    ['leaf:1-1', 'raincoat plan: --without: expected tunnel:A-B or root:ID, found "leaf:1-1"'],
  ])('plan --without %s is refused with exit 2', async (spec, message) => {
    expect(await run('plan', file('hub.json'), '--without', spec)).toEqual({ code: 2, out: '', err: `${message}\n` });
  });
});

describe('raincoat diff', () => {
  it('lists additions, changes and removals', async () => {
    const r = await run('diff', file('good.json'), file('grown.json'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('+ root-3 "cloud-3"');
    expect(r.out).toContain('~ root-1 "cloud-1": maxClients 250 -> 350');
    expect(r.out).toContain('- root-2 "cloud-2"');
    expect(r.out).toContain('- tunnel-1-2 (root-1 <-> root-2)');
    expect(r.out).toContain('+ leaf-1-4 10.1.5.128/25');
  });

  it.each([
    ['old', () => [file('bad.json'), file('good.json')]],
    ['new', () => [file('good.json'), file('bad.json')]],
  ])('names the file when the %s one is invalid', async (_which, files) => {
    const r = await run('diff', ...files());
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file('bad.json')}: tunnels[0].b: root 7 does not exist`);
    expect(r.err.trim().split('\n').every((line) => line.startsWith(`${file('bad.json')}: `))).toBe(true);
  });

  it('says so when nothing changes, and speaks JSON', async () => {
    expect((await run('diff', file('good.json'), file('good.json'))).out).toBe('no changes\n');
    const json = JSON.parse((await run('diff', file('good.json'), file('grown.json'), '--json')).out);
    expect(json.roots.added.map((r: { id: number }) => r.id)).toEqual([3]);
  });
});

describe('raincoat render options', () => {
  it.each([
    [['--clients', '-3'], 'raincoat render: --clients: expected a whole number from 0 to 50400, found "-3"'],
    [['--clients', '-0.5'], 'raincoat render: --clients: expected a whole number from 0 to 50400, found "-0.5"'],
  ])('refuses %j in one line naming the option and what it expects', async (extra, message) => {
    const r = await run('render', file('lone.json'), '--out', file('never'), ...extra);
    expect(r).toEqual({ code: 2, out: '', err: `${message}\n` });
  });

  it('names the key of every bad --addresses entry', async () => {
    const r = await run('render', file('lone.json'), '--out', file('never'), '--addresses', file('bad-address.json'));
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^--addresses ${file('bad-address.json')}: leaf-1-1: .*IPv4.*, found "x"$`)),
      `--addresses ${file('bad-address.json')}: leaf-7-1: no such node in this topology`,
    ]);
  });

  it.each([
    ['a list', 'addresses-list.json', 1, ': expected an object mapping node names to IPv4 addresses, such as {"leaf-1-1": "198.51.100.7"}'],
    ['a missing file', 'no-addresses.json', 2, ': cannot read: no such file'],
  ])('refuses %s as --addresses, naming the option and the file', async (_what, name, code, message) => {
    const r = await run('render', file('lone.json'), '--out', file('never'), '--addresses', file(name));
    expect(r).toEqual({ code, out: '', err: `--addresses ${file(name)}${message}\n` });
  });
});
