// An OverlayAccess value for tests of what reads one: a root and its leaf, certificates that only need to look like PEM.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

export function sampleAccess(overrides: Partial<OverlayAccess> = {}): OverlayAccess {
  return {
    version: 1,
    name: 'sandbox',
    entry: 'root-1',
    controlCaPem: PEM,
    nodes: {
      'root-1': { url: 'https://127.0.0.1:4001', certPem: PEM, backend: 'dry-run' },
      'leaf-1-1': { url: 'https://127.0.0.1:4002', certPem: PEM, backend: 'dry-run' },
    },
    ...overrides,
  };
}
