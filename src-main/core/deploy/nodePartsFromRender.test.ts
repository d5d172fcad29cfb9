import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeployPackage, type DeployNodeInput } from '../../../src-shared/protocol/deployPackage.ts';
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { renderLeafFiles, renderRootFiles, type RenderedFile } from '../render/renderNodeFiles.ts';
import { DEFAULT_OPENVPN_USER } from '../render/renderOptions.ts';
import { fixtureKeys, samplePlan } from '../render/fixtureKeys.testkit.ts';
import { linuxNodePart, NodePartError, nodePartsFromRender } from './nodePartsFromRender.ts';

const BASE = '/etc/raincoat';
let plan: AddressPlan;
let keys: OverlayKeys;
beforeAll(async () => {
  plan = samplePlan('pair');
  keys = await fixtureKeys(plan);
});

const rootFiles = (options = {}) => renderRootFiles(plan, 1, keys, { baseDir: BASE, ...options });
const leafFiles = (options = {}) => renderLeafFiles(plan, 'leaf-1-1', keys, { baseDir: BASE, ...options });
const text = (part: DeployNodeInput, path: string): string => part.files?.[path] ?? String(part.secrets?.[path] ?? '');
const paths = (record: Record<string, unknown> | undefined) => Object.keys(record ?? {});

/** Every absolute path an OpenVPN configuration names, with the files of the part that lie at or under it. */
function namedPaths(part: DeployNodeInput, config: string): Map<string, string[]> {
  const all = [...paths(part.files), ...paths(part.secrets)];
  const named = new Map<string, string[]>();
  for (const word of text(part, config).split(/\s+/).filter((w) => w.startsWith('/'))) {
    const relative = word.slice(`${BASE}/`.length);
    named.set(word, all.filter((p) => p === relative || p.startsWith(`${relative}/`)));
  }
  return named;
}

describe('linuxNodePart', () => {
  it('lays a root out as the linux backend reads it: swanctl/, and each OpenVPN instance with the files it names in its own folder', () => {
    const part = linuxNodePart('root-1', { files: rootFiles(), baseDir: BASE });
    expect(part.backend).toBe('linux');
    expect(paths(part.files)).toEqual([
      'openvpn/uplink-server.conf',
      'openvpn/uplink-server/openvpn/ccd/leaf-1-1',
      'openvpn/uplink-server/openvpn/ccd/leaf-1-2',
      'openvpn/uplink-server/openvpn/ccd/leaf-1-3',
      'openvpn/uplink-server/pki/ca.crt',
      'openvpn/uplink-server/pki/crl.pem',
      'openvpn/uplink-server/pki/uplink-server.crt',
    ]);
    expect(paths(part.secrets)).toEqual([
      'openvpn/uplink-server/pki/uplink-server.key',
      'openvpn/uplink-server/pki/uplink-tls-crypt.key',
      'swanctl/swanctl.conf',
    ]);
    const config = text(part, 'openvpn/uplink-server.conf');
    expect(config).toContain(`client-config-dir ${BASE}/openvpn/uplink-server/openvpn/ccd\n`);
    expect(config).toContain(`key ${BASE}/openvpn/uplink-server/pki/uplink-server.key\n`);
    expect(config).not.toContain(`${BASE}/pki/`);
    for (const [word, files] of namedPaths(part, 'openvpn/uplink-server.conf')) expect(files, word).not.toEqual([]);
  });

  it('keeps every line of a configuration but the paths, and every file its content', () => {
    const files = rootFiles();
    const part = linuxNodePart('root-1', { files, baseDir: BASE });
    const rendered = (path: string) => files.find((f) => f.path === path)!.content;
    expect(text(part, 'openvpn/uplink-server.conf').replaceAll(`${BASE}/openvpn/uplink-server/`, `${BASE}/`)).toBe(
      rendered('openvpn/uplink-server.conf'),
    );
    expect(text(part, 'swanctl/swanctl.conf')).toBe(rendered('swanctl.conf'));
    expect(text(part, 'openvpn/uplink-server/pki/uplink-server.key')).toBe(rendered('pki/uplink-server.key'));
    expect(text(part, 'openvpn/uplink-server/openvpn/ccd/leaf-1-2')).toBe(rendered('openvpn/ccd/leaf-1-2'));
  });

  it('gives each of a leaf’s instances its own copy of the material both use, so a change restarts exactly the instances that read it', () => {
    const part = linuxNodePart('leaf-1-1', { files: leafFiles(), baseDir: BASE });
    for (const instance of ['uplink-client', 'client-server']) {
      expect(text(part, `openvpn/${instance}/pki/ca.crt`)).toContain('BEGIN CERTIFICATE');
      expect(part.secrets?.[`openvpn/${instance}/pki/${instance === 'uplink-client' ? 'uplink-tls-crypt' : 'client-tls-crypt-v2-server'}.key`]).toBeDefined();
      for (const [word, files] of namedPaths(part, `openvpn/${instance}.conf`)) {
        expect(word.startsWith(`${BASE}/openvpn/${instance}/`), word).toBe(true);
        expect(files, word).toHaveLength(1);
      }
    }
    // The uplink client does not check a CRL: it trusts one server, pinned by name.
    expect(paths(part.files)).not.toContain('openvpn/uplink-client/pki/crl.pem');
    expect(paths(part.files)).toContain('openvpn/client-server/pki/crl.pem');
    expect(paths(part.secrets)).toEqual([
      'openvpn/client-server/pki/client-server.key',
      'openvpn/client-server/pki/client-tls-crypt-v2-server.key',
      'openvpn/uplink-client/pki/uplink-client.key',
      'openvpn/uplink-client/pki/uplink-tls-crypt.key',
    ]);
  });

  it('seals configurations that carry their keys inline, and leaves out the key files no configuration names', () => {
    const part = linuxNodePart('leaf-1-1', { files: leafFiles({ inlineKeys: true }), baseDir: BASE });
    expect(paths(part.files)).toEqual([]);
    expect(paths(part.secrets)).toEqual(['openvpn/client-server.conf', 'openvpn/uplink-client.conf']);
  });

  it('puts every file of mode 0600 among the secrets and nothing secret among the files', () => {
    for (const [name, files] of [
      ['root-1', rootFiles()],
      ['leaf-1-1', leafFiles()],
    ] as const) {
      const part = linuxNodePart(name, { files, baseDir: BASE });
      for (const content of Object.values(part.files ?? {})) expect(content).not.toMatch(/PRIVATE KEY|secret =|OpenVPN Static key/);
      const secretContents = new Set(Object.values(part.secrets ?? {}));
      for (const file of files.filter((f) => f.mode === 0o600 && !['vyos.set', 'config.boot'].includes(f.path))) {
        expect(secretContents.has(file.content), file.path).toBe(true);
      }
    }
  });

  it('carries a hardened node as a deploy renders it: the firewall at the top, each server’s jail under its instance', () => {
    const hardened = { openvpnUser: DEFAULT_OPENVPN_USER, agentPort: { 'root-1': 7443, 'leaf-1-1': 7444 } };
    const root = linuxNodePart('root-1', { files: rootFiles(hardened), baseDir: BASE });
    expect(text(root, 'firewall.nft')).toContain('tcp dport 7443 accept');
    expect(paths(root.files)).toEqual(
      expect.arrayContaining(['firewall.nft', 'openvpn/uplink-server/jail/uplink-server/crl.pem', 'openvpn/uplink-server/jail/uplink-server/ccd/leaf-1-1']),
    );
    const config = text(root, 'openvpn/uplink-server.conf');
    expect(config).toContain(`chroot ${BASE}/openvpn/uplink-server/jail/uplink-server\n`);
    expect(config).toContain('user raincoat-openvpn\n');
    for (const [word, files] of namedPaths(root, 'openvpn/uplink-server.conf')) expect(files, word).not.toEqual([]);

    const leaf = linuxNodePart('leaf-1-1', { files: leafFiles(hardened), baseDir: BASE });
    expect(text(leaf, 'firewall.nft')).toContain('tcp dport 7444 accept');
    expect(paths(leaf.files)).toContain('openvpn/client-server/jail/client-server/crl.pem');
    expect(text(leaf, 'openvpn/client-server.conf')).toContain(`chroot ${BASE}/openvpn/client-server/jail/client-server\n`);
  });

  it('leaves the VyOS files out', () => {
    const part = linuxNodePart('root-1', { files: rootFiles(), baseDir: BASE });
    for (const path of [...paths(part.files), ...paths(part.secrets)]) expect(path).not.toMatch(/vyos\.set|config\.boot/);
  });

  const file = (path: string, content: string, mode: 0o600 | 0o644 = 0o644): RenderedFile => ({ path, content, mode });
  it.each<[string, RenderedFile[], string, RegExp]>([
    ['a relative base folder', [], 'etc/raincoat', /base folder "etc\/raincoat" must be an absolute path/],
    ['a base folder OpenVPN would need quoted', [], '/etc/rain coat', /must be an absolute path of plain names/],
    ['a base folder with a .. step', [], '/etc/../raincoat', /must be an absolute path of plain names/],
    ['a path outside the base folder', [file('openvpn/a.conf', 'ca /etc/other/pki/ca.crt\n')], BASE, /openvpn\/a\.conf: names \/etc\/other\/pki\/ca\.crt, outside/],
    ['a path that was not rendered', [file('openvpn/a.conf', `ca ${BASE}/pki/ca.crt\n`)], BASE, /names \/etc\/raincoat\/pki\/ca\.crt, which was not rendered/],
    ['a file nothing names', [file('notes/readme.txt', 'hello')], BASE, /notes\/readme\.txt is named by no OpenVPN configuration/],
    ['a path rendered twice', [file('swanctl.conf', 'a'), file('swanctl.conf', 'b')], BASE, /swanctl\.conf is rendered twice/],
    ['an inline block never closed', [file('openvpn/a.conf', '<ca>\n-----BEGIN CERTIFICATE-----\n')], BASE, /<ca> is never closed/],
  ])('refuses %s', (_what, files, baseDir, problem) => {
    expect(() => linuxNodePart('root-9', { files, baseDir })).toThrow(NodePartError);
    expect(() => linuxNodePart('root-9', { files, baseDir })).toThrow(problem);
  });

  it('reads paths only where OpenVPN does: not in comments or inline blocks', () => {
    const config = `# kept as it was: ${BASE}/nothing\n<ca>\n${BASE}/not-a-path\n</ca>\nca ${BASE}/pki/ca.crt\n`;
    const part = linuxNodePart('root-9', { files: [file('openvpn/a.conf', config), file('pki/ca.crt', 'CA')], baseDir: BASE });
    expect(part.files).toEqual({
      'openvpn/a.conf': `# kept as it was: ${BASE}/nothing\n<ca>\n${BASE}/not-a-path\n</ca>\nca ${BASE}/openvpn/a/pki/ca.crt\n`,
      'openvpn/a/pki/ca.crt': 'CA',
    });
  });

  it('skips an inline block whose tag has a digit, such as a tls-crypt-v2 key whose base64 line starts with a slash', () => {
    const config = `<tls-crypt-v2>\n/YFfPT7ThwP2HQzDZJGOz4GVjP2B9UzRuq\n</tls-crypt-v2>\n`;
    expect(linuxNodePart('root-9', { files: [file('openvpn/a.conf', config)], baseDir: BASE }).files).toEqual({ 'openvpn/a.conf': config });
  });
});

describe('nodePartsFromRender', () => {
  it('makes the parts of several nodes, each for its own base folder, that a deploy package takes', async () => {
    const parts = nodePartsFromRender({
      'root-1': { files: renderRootFiles(plan, 1, keys, { baseDir: '/srv/r1' }), baseDir: '/srv/r1' },
      'root-2': { files: renderRootFiles(plan, 2, keys, { baseDir: '/srv/r2' }), baseDir: '/srv/r2' },
    });
    expect(Object.keys(parts)).toEqual(['root-1', 'root-2']);
    expect(parts['root-2']?.files?.['openvpn/uplink-server.conf']).toContain('ca /srv/r2/openvpn/uplink-server/pki/ca.crt\n');
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const pkg = await buildDeployPackage({
      topologyId: 't1',
      createdAt: new Date(0).toISOString(),
      entryRootId: 1,
      nodes: parts,
      identityKeys: { 'root-1': spki, 'root-2': spki },
    });
    expect(Object.keys(pkg.nodes['root-1']!.sealedSecrets)).toEqual(paths(parts['root-1']?.secrets));
    expect(JSON.stringify(pkg)).not.toMatch(/PRIVATE KEY|secret = /);
  });

  it('says which node a problem is in', () => {
    expect(() => nodePartsFromRender({ 'root-1': { files: rootFiles(), baseDir: '/srv/other' } })).toThrow(/^root-1: openvpn\/uplink-server\.conf: names \/etc\/raincoat\//);
  });
});
