// A deploy package as the pure deploy logic sees it, made at once: its digest is a stand-in, never computed.
import { DEPLOY_PACKAGE_VERSION, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';

export const STAND_IN_DIGEST = `sha256:${'a'.repeat(64)}`;

/** Topology `t1`, made 2026-01-02T03:00:00Z by root 1, for no node, with a one-minute deadline; `over` changes any of it. */
export function packageLike(over: Partial<DeployPackage> = {}): DeployPackage {
  return {
    version: DEPLOY_PACKAGE_VERSION,
    topologyId: 't1',
    createdAt: '2026-01-02T03:00:00.000Z',
    deadlineMs: 60_000,
    entryRootId: 1,
    nodes: {},
    omitted: {},
    removed: { nodes: [], tunnels: [] },
    overlay: null,
    digest: STAND_IN_DIGEST,
    ...over,
  };
}
