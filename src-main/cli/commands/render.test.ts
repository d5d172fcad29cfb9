import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runRaincoat as run } from '../runRaincoat.testkit.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { ensureOverlayKeys } from '../../core/pki/ensureOverlayKeys.ts';
import { saveOverlayKeys } from '../../core/pki/overlayKeysFile.ts';
import { KEYS_FILE } from '../../core/renderOverlay/renderOverlay.ts';
import { MANIFEST_FILE } from '../../core/renderOutput/renderManifest.ts';
import type * as RenderNodeFiles from '../../core/render/renderNodeFiles.ts';

/** Set by a test to have the renderer write a set command VyOS refuses into root-1's vyos.set. */
const sabotage = vi.hoisted(() => ({ vyosSet: false }));
vi.mock('../../core/render/renderNodeFiles.ts', async (importOriginal) => {
  const original = await importOriginal<typeof RenderNodeFiles>();
  return {
    ...original,
    renderOverlayFiles: (...args: Parameters<typeof original.renderOverlayFiles>) =>
      original.renderOverlayFiles(...args).map((file) =>
        sabotage.vyosSet && file.path === 'root-1/vyos.set' ? { ...file, content: `${file.content}set vpn ipsec esp-group raincoat-esp mode 'sideways'\n` } : file,
      ),
  };
});

let dir: string;
const at = (...parts: string[]) => path.join(dir, ...parts);

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
  await writeFile(at('twelve-leaves.json'), JSON.stringify({ roots: [{ ...roots[0], maxClients: 1200 }], tunnels: [] }));
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
    // Every leaf but leaf-1-1 has no address: the profiles name them, and render says which.
    expect(r.err).toContain(
      'warning: client profiles name 2 leaves by node name, their internet address unknown: leaf-1-2, leaf-2-1 (give them with --addresses, or map the names in DNS or /etc/hosts)',
    );
  });

  it('lists ten leaves without an address and counts the rest', async () => {
    const r = await run('render', at('twelve-leaves.json'), '--out', at('twelve'));
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: client profiles name 12 leaves by node name, their internet address unknown: leaf-1-1, leaf-1-2, leaf-1-3, leaf-1-4, leaf-1-5, leaf-1-6, leaf-1-7, leaf-1-8, leaf-1-9, leaf-1-10 and 2 more (give them');
  });

  it('gives each client profile its own tls-crypt-v2 key, or with --client-servers vyos the cloud clients\' tls-crypt key', async () => {
    expect(await readFile(at('out', 'clients', 'client-1-1.ovpn'), 'utf8')).toContain('<tls-crypt-v2>');
    const r = await run('render', at('two.json'), '--out', at('vyos-leaves'), '--client-servers', 'vyos');
    expect(r.code).toBe(0);
    const profile = await readFile(at('vyos-leaves', 'clients', 'client-1-1.ovpn'), 'utf8');
    expect(profile).toContain('<tls-crypt>');
    expect(profile).not.toContain('<tls-crypt-v2>');
    const bad = await run('render', at('two.json'), '--out', at('never-cs'), '--client-servers', 'bsd');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--client-servers: expected linux or vyos, found "bsd"');
  });

  it('renews the certificates that expire within 30 days and says so', async () => {
    const topology = JSON.parse(await readFile(at('two.json'), 'utf8'));
    const old = await ensureOverlayKeys(planAddresses(topology), undefined, { now: new Date(Date.now() - 800 * 86_400_000), clientsPerRoot: 0 });
    await mkdir(at('renewing'));
    await saveOverlayKeys(at('renewing', KEYS_FILE), old);
    const r = await run('render', at('two.json'), '--out', at('renewing'), '--clients', '0');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^certificates: renewed 8 certificates expiring within 30 days \(the first on \d{4}-\d\d-\d\d\): root-1 uplink server, root-2 uplink server, leaf-1-1 client server, leaf-1-1 uplink client, leaf-1-2 client server, leaf-1-2 uplink client, leaf-2-1 client server, leaf-2-1 uplink client$/m,
    );
    expect(r.out).toContain('(8 new keys');
    const again = await run('render', at('two.json'), '--out', at('renewing'), '--clients', '0');
    expect(again.err).not.toContain('certificates:');
  });

  it('with --openvpn-user, has OpenVPN drop to that user and each server run in its jail', async () => {
    const r = await run('render', at('two.json'), '--out', at('dropping'), '--openvpn-user', 'raincoat-openvpn');
    expect(r.code).toBe(0);
    const server = await readFile(at('dropping', 'leaf-1-1', 'openvpn', 'client-server.conf'), 'utf8');
    expect(server).toMatch(/^user raincoat-openvpn\ngroup raincoat-openvpn\nchroot \/etc\/raincoat\/jail\/client-server\n/m);
    expect(await readFile(at('dropping', 'leaf-1-1', 'jail', 'client-server', 'crl.pem'), 'utf8')).toContain('BEGIN X509 CRL');
    const withGroup = await run('render', at('two.json'), '--out', at('dropping'), '--openvpn-user', 'ovpn:nogroup');
    expect(await readFile(at('dropping', 'root-1', 'openvpn', 'uplink-server.conf'), 'utf8')).toMatch(/^user ovpn\ngroup nogroup$/m);
    expect(withGroup.code).toBe(0);
    const bad = await run('render', at('two.json'), '--out', at('never-ou'), '--openvpn-user', 'root; rm');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--openvpn-user: expected USER or USER:GROUP (system names), found "root; rm"');
  });

  it('hardens as deploys do when not told otherwise, and says so in its help', async () => {
    const r = await run('render', at('two.json'), '--out', at('hardened'));
    expect(r.code).toBe(0);
    const server = await readFile(at('hardened', 'leaf-1-1', 'openvpn', 'client-server.conf'), 'utf8');
    expect(server).toMatch(/^user raincoat-openvpn\ngroup raincoat-openvpn\nchroot \/etc\/raincoat\/jail\/client-server\n/m);
    for (const node of ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1']) {
      expect(await readFile(at('hardened', node, 'firewall.nft'), 'utf8')).toContain('tcp dport 7443 accept');
      expect(await readFile(at('hardened', node, 'vyos.set'), 'utf8')).toMatch(/^set firewall ipv4 input filter rule \d+ destination port '7443'$/m);
    }
    const help = await run('render', '--help');
    expect(help.out + help.err).toMatch(/--openvpn-user U\[:G\][^]*\(default\s+raincoat-openvpn:raincoat-openvpn, as deploys/);
    expect(help.out + help.err).toMatch(/--agent-port N[^]*\(default 7443; a deploy takes each node's/);
  });

  it('with --agent-port, gives every node a firewall that lets the agent in', async () => {
    const r = await run('render', at('two.json'), '--out', at('walled'), '--agent-port', '8443');
    expect(r.code).toBe(0);
    for (const node of ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1']) {
      expect(await readFile(at('walled', node, 'firewall.nft'), 'utf8')).toContain('tcp dport 8443 accept');
      expect(await readFile(at('walled', node, 'vyos.set'), 'utf8')).toMatch(/^set firewall ipv4 input filter rule \d+ destination port '8443'$/m);
    }
    expect((await run('render', at('two.json'), '--out', at('walled'), '--agent-port', '8443', '--check', '--vyos', '1.5')).code).toBe(0);
    // Without the flag, the agent's documented port: render walls every node as deploys do.
    expect(await readFile(at('out', 'root-1', 'firewall.nft'), 'utf8')).toContain('tcp dport 7443 accept');
    const bad = await run('render', at('two.json'), '--out', at('never-ap'), '--agent-port', '70000');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--agent-port: expected a TCP port from 1 to 65535, found "70000"');
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
    expect(r.err).toContain('roots[1].id: 1 is already used by root 1');
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

  it('lists what it would write and remove with --dry-run, and changes nothing', async () => {
    const before = await snapshot(at('out'));
    const r = await run('render', at('two.json'), '--out', at('out'), '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `dry run, nothing changed: would render 2 roots, 3 leaves and 3 client profiles into ${at('out')} (7 new keys)`,
      expect.stringMatching(
        /^would write \d+ files \(\d+ new\): control-ca\.crt, root-1\/ \(\d+ files\), leaf-1-1\/ \(\d+ files\), leaf-1-2\/ \(\d+ files\), root-2\/ \(\d+ files\), leaf-2-1\/ \(\d+ files\), clients\/ \(3 files\)$/,
      ),
      'would remove clients/client-1-3.ovpn, clients/client-1-4.ovpn, clients/client-1-5.ovpn',
      '',
    ]);
    expect(await snapshot(at('out'))).toEqual(before);
    const fresh = await run('render', at('two.json'), '--out', at('never3'), '--dry-run');
    expect(fresh.out).toMatch(/^would remove nothing$/m);
    expect(existsSync(at('never3'))).toBe(false);
  });

  it('removes only the files it wrote: a file the user added to a node that leaves stays, with its folder', async () => {
    expect((await run('render', at('two.json'), '--out', at('mine'))).code).toBe(0);
    await writeFile(at('mine', 'root-2', 'important.txt'), 'mine');
    await writeFile(at('mine', 'root-1', 'notes.txt'), 'mine too');
    const dry = await run('render', at('one.json'), '--out', at('mine'), '--dry-run');
    expect(dry.out).toContain('would keep root-2/important.txt: render did not write it');
    const r = await run('render', at('one.json'), '--out', at('mine'));
    expect(r.code).toBe(0);
    expect(r.out).toContain("(0 new keys, removed leaf-1-2, leaf-2-1, root-2/ (render's files), clients/client-1-2.ovpn, clients/client-2-1.ovpn, root-1/jail/uplink-server/ccd/leaf-1-2)");
    expect(r.err).toContain('raincoat render: kept root-2/important.txt: render did not write it');
    expect(await filesUnder(at('mine', 'root-2'))).toEqual(['important.txt']);
    expect(await readFile(at('mine', 'root-1', 'notes.txt'), 'utf8')).toBe('mine too');
    expect(existsSync(at('mine', 'leaf-2-1'))).toBe(false);
    const manifest = JSON.parse(await readFile(at('mine', MANIFEST_FILE), 'utf8'));
    expect(manifest.files).toContain('root-1/vyos.set');
    expect(manifest.files.filter((f: string) => f.startsWith('root-2/') || f.includes('notes'))).toEqual([]);
  });

  it('refuses a folder that holds files no render wrote, and changes nothing there', async () => {
    await mkdir(at('theirs', 'root-9'), { recursive: true });
    await writeFile(at('theirs', 'root-9', 'important.txt'), 'theirs');
    const r = await run('render', at('two.json'), '--out', at('theirs'));
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe(`raincoat render: ${at('theirs')}: holds files that no render wrote (root-9/important.txt); render into a new or empty folder\n`);
    expect(await snapshot(at('theirs'))).toEqual({ 'root-9/important.txt': 'theirs' });
  });

  it('renders into a folder that holds only the keys of an earlier render, reusing them', async () => {
    await mkdir(at('moved'));
    await writeFile(at('moved', KEYS_FILE), await readFile(at('out', KEYS_FILE)));
    const r = await run('render', at('two.json'), '--out', at('moved'));
    expect(r.code).toBe(0);
    expect(r.err).toContain('keys: reusing');
  });

  it('refuses to write over a file it did not write', async () => {
    expect((await run('render', at('one.json'), '--out', at('clash'))).code).toBe(0);
    await mkdir(at('clash', 'root-2'));
    await writeFile(at('clash', 'root-2', 'vyos.set'), 'mine');
    const r = await run('render', at('two.json'), '--out', at('clash'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('render would write over root-2/vyos.set, which no render wrote; move it away first');
    expect(await readFile(at('clash', 'root-2', 'vyos.set'), 'utf8')).toBe('mine');
    expect(existsSync(at('clash', 'leaf-2-1'))).toBe(false);
  });

  it.each(['1.4', '1.5'])('passes --check for VyOS %s with what it renders', async (version) => {
    const r = await run('render', at('two.json'), '--out', at(`checked-${version}`), '--check', '--vyos', version);
    expect(r.code).toBe(0);
    expect(r.out).toContain('rendered 2 roots');
  });

  it('refuses with --check what VyOS would refuse, naming the node and giving VyOS’s message, and writes nothing', async () => {
    sabotage.vyosSet = true;
    try {
      const r = await run('render', at('two.json'), '--out', at('refused'), '--check');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^raincoat render --check: root-1: line \d+: vpn ipsec esp-group raincoat-esp mode: value "sideways" is not valid/m);
      expect(r.err).toContain('VyOS 1.4 would refuse the configuration of 1 node; nothing was written');
      expect(existsSync(at('refused'))).toBe(false);
    } finally {
      sabotage.vyosSet = false;
    }
  });
});

/** Every file under `root` with its content. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const files = await filesUnder(root);
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(path.join(root, f), 'utf8')] as const)));
}
