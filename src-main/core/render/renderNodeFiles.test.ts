import { describe, expect, it } from 'vitest';
import { fixtureKeys, samplePlan } from './fixtureKeys.testkit.ts';
import { renderClientFiles, renderLeafFiles, renderOverlayFiles, renderRootFiles } from './renderNodeFiles.ts';

const plan = samplePlan('pair');
const keys = await fixtureKeys(plan, { clientsPerRoot: 2 });

describe('renderNodeFiles', () => {
  it('a root gets vyos.set, config.boot, swanctl.conf, its OpenVPN server with ccd, and pki/', () => {
    const files = renderRootFiles(plan, 1, keys);
    expect(files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['vyos.set', '600'],
      ['config.boot', '600'],
      ['swanctl.conf', '600'],
      ['openvpn/uplink-server.conf', '644'],
      ['openvpn/ccd/leaf-1-1', '644'],
      ['openvpn/ccd/leaf-1-2', '644'],
      ['openvpn/ccd/leaf-1-3', '644'],
      ['pki/ca.crt', '644'],
      ['pki/crl.pem', '644'],
      ['pki/uplink-server.crt', '644'],
      ['pki/uplink-server.key', '600'],
      ['pki/uplink-tls-crypt.key', '600'],
    ]);
    expect(files.find((f) => f.path === 'pki/uplink-server.key')!.content).toBe(keys.roots['1']!.uplinkServer.keyPem);
  });

  it("renders only what each node's backend takes when told which it runs, the same as the files side by side", () => {
    const backendOf = (node: string) => (node === 'root-1' || node === 'leaf-2-2' ? 'vyos' : 'linux');
    const both = (files: { path: string }[]) => files.map((f) => f.path);
    expect(both(renderRootFiles(plan, 1, keys, { backendOf }))).toEqual(['vyos.set', 'config.boot']);
    expect(both(renderLeafFiles(plan, 'leaf-2-2', keys, { backendOf }))).toEqual(['vyos.set', 'config.boot']);
    const linuxRoot = renderRootFiles(plan, 2, keys, { backendOf });
    expect(linuxRoot).toEqual(renderRootFiles(plan, 2, keys).filter((f) => !['vyos.set', 'config.boot'].includes(f.path)));
    expect(both(renderLeafFiles(plan, 'leaf-1-1', keys, { backendOf }))).not.toContain('vyos.set');
    expect(renderRootFiles(plan, 1, keys, { backendOf })).toEqual(renderRootFiles(plan, 1, keys).slice(0, 2));
  });

  it('a leaf gets VyOS files, its two OpenVPN ends and pki/ signed by its root CA', () => {
    const files = renderLeafFiles(plan, 'leaf-2-2', keys, { inlineKeys: true });
    expect(files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['vyos.set', '600'],
      ['config.boot', '600'],
      ['openvpn/uplink-client.conf', '600'],
      ['openvpn/client-server.conf', '600'],
      ['pki/ca.crt', '644'],
      ['pki/crl.pem', '644'],
      ['pki/uplink-client.crt', '644'],
      ['pki/uplink-client.key', '600'],
      ['pki/client-server.crt', '644'],
      ['pki/client-server.key', '600'],
      ['pki/uplink-tls-crypt.key', '600'],
      ['pki/client-tls-crypt-v2-server.key', '600'],
    ]);
    expect(files.find((f) => f.path === 'pki/ca.crt')!.content).toBe(keys.roots['2']!.openvpnCa.certPem);
  });

  it('no two purposes share a key file: the uplink, the client servers and each client profile hold keys of their own', () => {
    const files = renderOverlayFiles(plan, keys);
    const keyFiles = files.filter((f) => /tls-crypt/.test(f.path));
    const byContent = new Map<string, Set<string>>();
    for (const f of keyFiles) byContent.set(f.content, new Set([...(byContent.get(f.content) ?? []), f.path.split('/').slice(1).join('/')]));
    // The same key file on several nodes serves one purpose only: one file name per key.
    for (const paths of byContent.values()) expect(paths.size).toBe(1);
    const profileKey = (text: string) => /<tls-crypt-v2>\n([\s\S]*?)\n<\/tls-crypt-v2>/.exec(text)![1]!;
    const profileKeys = renderClientFiles(plan, keys).map((f) => profileKey(f.content));
    expect(new Set(profileKeys).size).toBe(4);
    for (const k of profileKeys) expect(keyFiles.some((f) => f.content.includes(k))).toBe(false);
  });

  it('every client gets a profile, mode 0600', () => {
    expect(renderClientFiles(plan, keys).map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['clients/client-1-1.ovpn', '600'],
      ['clients/client-1-2.ovpn', '600'],
      ['clients/client-2-1.ovpn', '600'],
      ['clients/client-2-2.ovpn', '600'],
    ]);
  });

  it('the whole overlay: the control CA, every node under its own folder, then the clients', () => {
    const files = renderOverlayFiles(plan, keys);
    const folders = [...new Set(files.map((f) => f.path.split('/')[0]))];
    expect(folders).toEqual(['control-ca.crt', 'root-1', 'leaf-1-1', 'leaf-1-2', 'leaf-1-3', 'root-2', 'leaf-2-1', 'leaf-2-2', 'leaf-2-3', 'clients']);
    expect(files[0]).toEqual({ path: 'control-ca.crt', content: keys.controlCa.certPem, mode: 0o644 });
    expect(files.filter((f) => f.path.endsWith('/pki/ca.crt')).every((f) => f.content === keys.roots[f.path.startsWith('root-1') || f.path.startsWith('leaf-1') ? '1' : '2']!.openvpnCa.certPem)).toBe(true);
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
  });
});
