import { describe, expect, it } from 'vitest';
import { OverlayAccessSchema } from '../../../src-shared/overlay/overlayAccess.ts';
import { sandboxAccess } from './sandboxAccess.ts';

const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
const PEM = pem('CA');

describe('sandboxAccess', () => {
  it('reaches each node on 127.0.0.1 at its port, with its certificate and the dry-run backend', () => {
    const certs = { 'root-1': pem('ROOT1'), 'leaf-1-1': pem('LEAF11') };
    const access = sandboxAccess('root-1', PEM, [{ node: 'root-1', port: 4001, process: 'up' }, { node: 'leaf-1-1', port: 4002, process: 'up' }], certs);
    expect(OverlayAccessSchema.safeParse(access).success).toBe(true);
    expect([access.name, access.entry, access.controlCaPem]).toEqual(['sandbox', 'root-1', PEM]);
    expect(Object.entries(access.nodes).map(([node, at]) => [node, at.url, at.backend, at.certPem === certs[node as keyof typeof certs]])).toEqual([
      ['root-1', 'https://127.0.0.1:4001', 'dry-run', true],
      ['leaf-1-1', 'https://127.0.0.1:4002', 'dry-run', true],
    ]);
  });

  it('refuses a node that has no port yet', () => {
    expect(() => sandboxAccess('root-1', PEM, [{ node: 'root-1', port: null, process: 'failed' }], { 'root-1': PEM })).toThrow('root-1 has no port yet');
  });
});
