import { beforeAll, describe, expect, it } from 'vitest';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { substituteSecrets } from '../../../src-shared/protocol/deployPackage.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { linuxNodePart } from '../deploy/nodePartsFromRender.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { nodePart } from './nodeParts.ts';
import { secretWords } from './overlaySecrets.ts';
import { filesFor, renderNodes } from './renderNodes.ts';

let rendered: Map<string, RenderedFile[]>;
let secrets: ReadonlySet<string>;
beforeAll(async () => {
  const plan = planAddresses({ roots: [makeRoot(1, { maxClients: 100 }), makeRoot(2, { maxClients: 100 })], tunnels: [{ a: 1, b: 2 }] });
  const keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 0 });
  rendered = renderNodes(plan, keys, { baseDir: '/etc/raincoat' });
  secrets = secretWords(keys);
});
const options = () => ({ baseDir: '/etc/raincoat', secrets });
const noSecretIn = (texts: string[]) => [...secrets].filter((word) => texts.some((t) => t.includes(word)));

describe('a node\'s part of the package', () => {
  it('for dry-run: every file a linux node takes, where the renderer puts it, those of mode 0600 sealed; no VyOS file', () => {
    const files = rendered.get('root-1')!;
    const linuxFiles = files.filter((f) => f.path !== 'vyos.set' && f.path !== 'config.boot');
    const part = nodePart('root-1', 'dry-run', files, options());
    expect(part.backend).toBe('dry-run');
    expect(Object.keys({ ...part.files, ...part.secrets }).sort()).toEqual(linuxFiles.map((f) => f.path).sort());
    expect(Object.keys(part.secrets!).sort()).toEqual(linuxFiles.filter((f) => f.mode === 0o600).map((f) => f.path).sort());
    expect(noSecretIn(Object.values(part.files!))).toEqual([]);
  });

  it('for vyos: the set lines, readable but for their secrets, which travel sealed and put back make the lines as rendered', () => {
    const files = rendered.get('root-2')!;
    const part = nodePart('root-2', 'vyos', files, options());
    expect(part.backend).toBe('vyos');
    expect(part.files).toBeUndefined();
    expect(noSecretIn(part.commands!)).toEqual([]);
    const opened = new Map(Object.entries(part.secrets as Record<string, string>));
    const renderedSet = files.find((f) => f.path === 'vyos.set')!.content.split('\n').filter((l) => l.startsWith('set '));
    expect(part.commands!.map((line) => substituteSecrets(line, opened))).toEqual(renderedSet);
    // Its uplink server's key, its cloud's tls-crypt key, and tunnel-1-2's pre-shared key.
    expect(opened.size).toBe(3);
  });

  it('for linux: nodePartsFromRender\'s layout', () => {
    const files = rendered.get('leaf-1-1')!;
    expect(nodePart('leaf-1-1', 'linux', files, options())).toEqual(linuxNodePart('leaf-1-1', { files, baseDir: '/etc/raincoat' }));
  });
});

describe('the files a node\'s plan shows and its record keeps', () => {
  it.each([
    { backend: 'vyos' as const, has: ['vyos.set'], hasNot: ['config.boot', 'swanctl.conf', 'pki/ca.crt'] },
    { backend: 'linux' as const, has: ['swanctl.conf', 'openvpn/uplink-server.conf', 'pki/ca.crt'], hasNot: ['vyos.set', 'config.boot'] },
    { backend: 'dry-run' as const, has: ['swanctl.conf', 'openvpn/uplink-server.conf', 'pki/ca.crt'], hasNot: ['vyos.set', 'config.boot'] },
  ])('are, for $backend, those it takes its configuration from', ({ backend, has, hasNot }) => {
    const paths = filesFor(backend, rendered.get('root-1')!).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(has));
    for (const path of hasNot) expect(paths).not.toContain(path);
  });
});
