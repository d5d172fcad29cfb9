// Opens a node's part for its deploy engine, remembering the part opened last: a package that carries the node's part on
// unchanged (sealed for an earlier deploy, the same bytes) is not opened again, one ECDH agreement per secret saved.
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import { partDigest, sealingTopology, type NodePart } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployBackend } from '../../src-shared/protocol/deployPackage.ts';
import type { OpenedPart } from './deployStep.ts';
import type { DigestPart } from './partDigest.ts';
import { resolvePart } from './resolvePart.ts';

export type PartOpener = (topologyId: string, part: NodePart) => Promise<OpenedPart>;

/**
 * The opened part is kept in memory only, as long as the next one is not opened: the agent holds its secrets in memory
 * while it applies them anyway, and the backend has them on disk in the files it runs.
 */
export function partOpener(nodeName: string, backend: DeployBackend, key: OpeningKey, digestPart: DigestPart, open = resolvePart): PartOpener {
  let last: { from: string; opened: Promise<OpenedPart> } | undefined;
  return async (topologyId, part) => {
    // The same bytes opened for the same deploy open to the same part: the sealed digest says which bytes.
    const from = `${sealingTopology(part, topologyId)} ${await partDigest(part)}`;
    if (last?.from === from) return last.opened;
    const opened = (async () => {
      const resolved = await open(topologyId, nodeName, part, key);
      return { ...resolved, digest: await digestPart(backend, resolved.part) };
    })();
    last = { from, opened };
    // A part that does not open is tried again the next time: what failed may have been the moment, not the part.
    opened.catch(() => {
      if (last?.opened === opened) last = undefined;
    });
    return opened;
  };
}
