import { beforeAll, describe, expect, it } from 'vitest';
import { planAddresses, type AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { DeployBackend } from '../../../src-shared/protocol/deployPackage.ts';
import { CERTIFICATE_PLACEHOLDER, TLS_CRYPT_V2_PLACEHOLDER } from '../../../src-shared/protocol/enrollmentFiles.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { nodePart } from '../deployRun/nodeParts.ts';
import { secretWords } from '../deployRun/overlaySecrets.ts';
import { renderNodes } from '../deployRun/renderNodes.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { enrollmentFiles } from './enrollmentFiles.ts';

let plan: AddressPlan;
let keys: OverlayKeys;
beforeAll(async () => {
  plan = planAddresses({ roots: [makeRoot(1, { maxClients: 300 }), makeRoot(2, { maxClients: 100 })], tunnels: [{ a: 1, b: 2 }] });
  keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 0 });
});
const OPTIONS = { baseDir: '/etc/raincoat' };
const allLinux = () => 'linux' as const;
const filesOf = (backendOf: (node: string) => DeployBackend, node: string) => enrollmentFiles(plan, keys, backendOf, OPTIONS).get(node)!;
const file = (backendOf: (node: string) => DeployBackend, node: string, path: string) => filesOf(backendOf, node).find((f) => f.path === path)!;
const remotes = (profile: string) => [...profile.matchAll(/^remote (\S+) 1194$/gm)].map((m) => m[1]);

describe('enrollmentFiles', () => {
  it("gives a root its cloud's CA, its key and the tls-crypt-v2 server key sealed, and a template per leaf", () => {
    expect(filesOf(allLinux, 'root-1').map((f) => [f.path, f.mode])).toEqual([
      ['enrollment/ca.crt', 0o644],
      ['enrollment/ca.key', 0o600],
      ['enrollment/leaves/leaf-1-1.ovpn', 0o644],
      ['enrollment/leaves/leaf-1-2.ovpn', 0o644],
      ['enrollment/leaves/leaf-1-3.ovpn', 0o644],
      ['enrollment/tls-crypt-v2-server.key', 0o600],
    ]);
    expect(file(allLinux, 'root-1', 'enrollment/ca.key').content).toBe(keys.roots['1']!.openvpnCa.keyPem);
    expect(file(allLinux, 'root-1', 'enrollment/tls-crypt-v2-server.key').content).toBe(keys.roots['1']!.clientTlsCryptV2);
  });

  it('makes a linux leaf\'s template a whole profile but for the certificate and the tls-crypt-v2 key, without the key, its leaf first', () => {
    const template = file(allLinux, 'root-1', 'enrollment/leaves/leaf-1-2.ovpn').content;
    expect(template).toContain(`<ca>\n${keys.roots['1']!.openvpnCa.certPem.trim()}\n</ca>\n`);
    expect(template).toContain(`<cert>\n${CERTIFICATE_PLACEHOLDER}\n</cert>\n<tls-crypt-v2>\n${TLS_CRYPT_V2_PLACEHOLDER}\n</tls-crypt-v2>\n`);
    expect(template).not.toMatch(/^(key |<key>)/m);
    expect(remotes(template)).toEqual(['leaf-1-2', 'leaf-1-3', 'leaf-1-1']);
    expect(filesOf(allLinux, 'leaf-1-2')).toEqual([
      { path: 'enrollment/client.ovpn', content: template, mode: 0o644 },
      file(allLinux, 'root-1', 'enrollment/tls-crypt-v2-server.key'),
    ]);
  });

  it("gives a VyOS leaf's template the cloud's static tls-crypt key, sealed, and only VyOS leaves to fail over to", () => {
    const backendOf = (node: string): DeployBackend => (node === 'leaf-1-2' ? 'vyos' : 'dry-run');
    const vyos = file(backendOf, 'root-1', 'enrollment/leaves/leaf-1-2.ovpn');
    expect(vyos.mode).toBe(0o600);
    expect(vyos.content).toContain(`<tls-crypt>\n${keys.roots['1']!.clientTlsCrypt.trim()}\n</tls-crypt>\n`);
    expect(vyos.content).not.toContain(TLS_CRYPT_V2_PLACEHOLDER);
    expect(remotes(vyos.content)).toEqual(['leaf-1-2']);
    expect(remotes(file(backendOf, 'root-1', 'enrollment/leaves/leaf-1-3.ovpn').content)).toEqual(['leaf-1-3', 'leaf-1-1']);
    expect(filesOf(backendOf, 'leaf-1-2')).toEqual([{ ...vyos, path: 'enrollment/client.ovpn' }]);
    expect(filesOf(() => 'vyos', 'root-2').map((f) => f.path)).toEqual(['enrollment/ca.crt', 'enrollment/ca.key', 'enrollment/leaves/leaf-2-1.ovpn']);
  });
});

describe("a node's part carries its enrollment files as they are, the secret ones sealed", () => {
  it.each(['linux', 'vyos', 'dry-run'] as const)('for %s', (backend) => {
    const backendOf = () => backend;
    const enrollment = enrollmentFiles(plan, keys, backendOf, OPTIONS);
    for (const node of ['root-1', 'leaf-1-1']) {
      const files = enrollment.get(node)!;
      const part = nodePart(node, backend, [...renderNodes(plan, keys, OPTIONS).get(node)!, ...files], { ...OPTIONS, secrets: secretWords(keys) });
      for (const { path, content, mode } of files) expect(mode === 0o600 ? part.secrets?.[path] : part.files?.[path], `${node} ${path}`).toBe(content);
      const carried = [...Object.keys(part.files ?? {}), ...Object.keys(part.secrets ?? {})].filter((p) => p.startsWith('enrollment/'));
      expect(carried.sort()).toEqual(files.map((f) => f.path).sort());
    }
  });
});
