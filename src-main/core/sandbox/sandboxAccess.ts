// The sandbox's overlay access file: how the application and the command line reach its agents on 127.0.0.1.
import { OVERLAY_ACCESS_VERSION } from '../../../src-shared/overlay/overlayAccess.ts';
import type { NodeAccess, OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import type { HostNode } from '../../../src-shared/sandbox/sandboxControl.ts';
import { SandboxError } from './sandboxError.ts';

const SANDBOX_NAME = 'sandbox';

export function sandboxAccess(entry: string, controlCaPem: string, nodes: readonly HostNode[], certs: Readonly<Record<string, string>>): OverlayAccess {
  const access: Record<string, NodeAccess> = {};
  for (const { node, port } of nodes) {
    const certPem = certs[node];
    if (port === null || certPem === undefined) throw new SandboxError(`${node} has no ${port === null ? 'port' : 'certificate'} yet`);
    access[node] = { url: `https://127.0.0.1:${port}`, certPem, backend: 'dry-run' };
  }
  return { version: OVERLAY_ACCESS_VERSION, name: SANDBOX_NAME, entry, controlCaPem, nodes: access };
}
