import { describe, expect, it } from 'vitest';
import { OverlayAccessSchema } from './overlayAccess.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const access = {
  version: 1,
  name: 'sandbox',
  entry: 'root-1',
  controlCaPem: PEM,
  nodes: { 'root-1': { url: 'https://127.0.0.1:4001', certPem: PEM, backend: 'dry-run' }, 'leaf-1-1': { url: 'https://127.0.0.1:4002', certPem: PEM, backend: 'dry-run' } },
};

describe('OverlayAccessSchema', () => {
  it('takes an overlay whose entry root is one of its nodes', () => {
    expect(OverlayAccessSchema.safeParse(access).success).toBe(true);
  });

  it.each([
    ['an entry that is a leaf', { ...access, entry: 'leaf-1-1' }, 'entry'],
    ['an entry that is not a node of it', { ...access, entry: 'root-2' }, 'entry'],
    ['a node name that is none', { ...access, nodes: { ...access.nodes, 'router-9': access.nodes['root-1'] } }, 'nodes'],
    ['a plain http address', { ...access, nodes: { ...access.nodes, 'root-1': { ...access.nodes['root-1'], url: 'http://127.0.0.1:4001' } } }, 'nodes'],
    ['a certificate that is not PEM', { ...access, controlCaPem: 'MIIB' }, 'controlCaPem'],
  ])('refuses %s', (_, value, path) => {
    const parsed = OverlayAccessSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toContain(path);
  });
});
