import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../raincoat.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { KEYS_FILE } from './render.ts';

let dir: string;
const at = (...parts: string[]) => path.join(dir, ...parts);

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-render-'));
  const roots = [makeRoot(1, { maxClients: 150, cloud: { provider: 'ec2' } }), makeRoot(2, { maxClients: 90 })];
  await writeFile(at('two.json'), JSON.stringify({ roots, tunnels: [{ a: 1, b: 2 }] }));
  await writeFile(at('one.json'), JSON.stringify({ roots: [{ ...roots[0], maxClients: 90 }], tunnels: [] }));
  await writeFile(at('bad.json'), JSON.stringify({ roots: [roots[0], roots[0]] }));
  await writeFile(at('addresses.json'), JSON.stringify({ 'leaf-1-1': '198.51.100.7' }));
  await writeFile(at('bad-addresses.json'), JSON.stringify({ 'leaf-9-9': '198.51.100.7' }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('raincoat render', () => {
  it('writes the documented layout for every node', async () => {
    const r = await run('render', at('two.json'), '--out', at('out'), '--addresses', at('addresses.json'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('rendered 2 roots, 3 leaves and 3 client profiles');
    const files = await filesUnder(at('out'));
    expect(files).toEqual(
      expect.arrayContaining([
        'control-ca.crt',
        KEYS_FILE,
        'root-1/vyos.set',
        'root-1/config.boot',
        'root-1/swanctl.conf',
        'root-1/openvpn/uplink-server.conf',
        'root-1/pki/ca.crt',
        'root-1/pki/uplink-server.key',
        'leaf-1-2/vyos.set',
        'leaf-1-2/config.boot',
        'leaf-1-2/openvpn/uplink-client.conf',
        'leaf-1-2/openvpn/client-server.conf',
        'leaf-2-1/pki/ca.crt',
        'clients/client-1-1.ovpn',
        'clients/client-2-1.ovpn',
      ]),
    );
    expect(files.filter((f) => f.startsWith('clients/'))).toHaveLength(3);
    expect(await readFile(at('out', 'clients', 'client-1-1.ovpn'), 'utf8')).toMatch(/^remote 198\.51\.100\.7 1194/m);
  });

  it('writes private keys and the keys file with mode 0600', async () => {
    for (const f of (await filesUnder(at('out'))).filter((f) => f.endsWith('.key') || f === KEYS_FILE || f.endsWith('.ovpn'))) {
      expect([f, statSync(at('out', f)).mode & 0o777]).toEqual([f, 0o600]);
    }
  });

  it.runIf(hasOpenssl)('renders certificates that verify against the pki/ca.crt beside them', async () => {
    for (const node of ['root-1', 'leaf-1-1', 'leaf-2-1']) {
      const pki = at('out', node, 'pki');
      for (const cert of (await readdir(pki)).filter((f) => f.endsWith('.crt') && f !== 'ca.crt')) {
        const out = execFileSync('openssl', ['verify', '-CAfile', path.join(pki, 'ca.crt'), path.join(pki, cert)], { encoding: 'utf8' });
        expect(out.trim()).toBe(`${path.join(pki, cert)}: OK`);
      }
    }
  });

  it('reuses every key on a re-run with the same topology', async () => {
    const before = await readFile(at('out', KEYS_FILE), 'utf8');
    const cert = await readFile(at('out', 'leaf-1-1', 'pki', 'uplink-client.crt'), 'utf8');
    const r = await run('render', at('two.json'), '--out', at('out'), '--addresses', at('addresses.json'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('(0 new keys');
    expect(await readFile(at('out', KEYS_FILE), 'utf8')).toBe(before);
    expect(await readFile(at('out', 'leaf-1-1', 'pki', 'uplink-client.crt'), 'utf8')).toBe(cert);
  });

  it('removes the folders of nodes no longer in the topology and revokes their certificates', async () => {
    const gone = JSON.parse(await readFile(at('out', KEYS_FILE), 'utf8')).leaves['leaf-1-2'].uplinkClient.serial as string;
    const r = await run('render', at('one.json'), '--out', at('out'), '--clients', '5');
    expect(r.code).toBe(0);
    for (const name of ['root-2', 'leaf-2-1', 'leaf-1-2']) {
      expect(r.out).toContain(name);
      expect(existsSync(at('out', name))).toBe(false);
    }
    expect((await filesUnder(at('out', 'clients'))).length).toBe(5);
    const keys = JSON.parse(await readFile(at('out', KEYS_FILE), 'utf8'));
    expect(keys.roots['1'].openvpnCa.revokedSerials).toContain(gone);
    if (hasOpenssl) {
      const crl = execFileSync('openssl', ['crl', '-in', at('out', 'root-1', 'pki', 'crl.pem'), '-noout', '-text'], { encoding: 'utf8' });
      expect(crl.toLowerCase().replace(/:/g, '')).toContain(gone.replace(/^0+/, ''));
    }
  });

  it('writes nothing for an invalid topology and exits 1 with validate messages', async () => {
    const r = await run('render', at('bad.json'), '--out', at('never'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('roots[1].id: 1 is already used by roots[0]');
    expect(existsSync(at('never'))).toBe(false);
  });

  it.each([
    [['--out'], /requires an argument|argument missing/],
    [['--out', 'x', '--clients', 'many'], /--clients: expected a whole number/],
    [['--out', 'x', '--key-type', 'dsa'], /--key-type: expected ecdsa-p256 or rsa-2048/],
    [['--out', 'x', '--vyos', '1.3'], /--vyos: expected 1.4 or 1.5/],
  ])('refuses bad options %j', async (extra, message) => {
    const r = await run('render', at('two.json'), ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('refuses addresses for nodes the topology does not have', async () => {
    const r = await run('render', at('two.json'), '--out', at('never2'), '--addresses', at('bad-addresses.json'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('leaf-9-9: no such node in this topology');
    expect(existsSync(at('never2'))).toBe(false);
  });
});
