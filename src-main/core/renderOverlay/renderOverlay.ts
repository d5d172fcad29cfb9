// The render use case: the overlay's keys (only what is new or about to expire is made), every node's files, VyOS's verdict on them if
// asked, written into a folder that render owns; `raincoat render` and the deploy both call it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { BulkIssueOptions } from '../pki/bulkIssuer.ts';
import { renewedCertificates, type Renewal } from '../pki/certificateRenewal.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import type { KeyType, OverlayKeys } from '../pki/keyTypes.ts';
import { loadOverlayKeys, saveOverlayKeys } from '../pki/overlayKeysFile.ts';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { renderOverlayFiles, VYOS_SET_FILE } from '../render/renderNodeFiles.ts';
import { profileLeavesWithoutAddress } from '../render/overlayFacts.ts';
import type { RenderOptions, VyosVersion } from '../render/renderOptions.ts';
import type { OutputPlan } from '../renderOutput/outputPlan.ts';
import { foreignFolder } from '../renderOutput/outputPlan.ts';
import { readOutputFolder, writeRenderedTree } from '../renderOutput/writeRenderedTree.ts';
import { checkVyosConfig } from '../vyosCheck/checkVyosConfig.ts';
import type { VyosRefusal } from '../vyosCheck/checkVyosConfig.ts';

/** The overlay's keys, kept in the output folder so that a re-run reuses them (mode 0600). */
export const KEYS_FILE = 'raincoat-keys.json';

export interface RenderOverlayRequest {
  plan: AddressPlan;
  outDir: string;
  /** For a new overlay; an existing one keeps its type. */
  keyType?: KeyType;
  clientsPerRoot?: number;
  render?: RenderOptions;
  /** Check every node's VyOS configuration as VyOS would, and write nothing if it would refuse any. */
  check?: boolean;
  /** Plan only: keys are made in memory, nothing is written or removed. */
  dryRun?: boolean;
  bulk?: BulkIssueOptions;
  /** The clock new certificates start from and expiring ones are judged by; default now. */
  now?: Date;
  /** Told when the keys are settled (`reusing` is the keys file, or null for a new overlay) and when files are about to be written. */
  onProgress?: (progress: { step: 'keys'; reusing: string | null } | { step: 'files'; count: number }) => void;
}

export interface NodeRefusal extends VyosRefusal {
  node: string;
}

export type RenderOverlayResult =
  /** The folder or its keys cannot be used as they are; nothing changed. */
  | { kind: 'refused'; reason: string }
  /** VyOS would refuse these; nothing was written. */
  | { kind: 'check-failed'; refusals: NodeRefusal[] }
  | {
      kind: 'rendered';
      dryRun: boolean;
      newKeys: number;
      clientProfiles: number;
      /** Certificates that were about to expire, issued anew under the same CA. */
      renewed: Renewal[];
      /** Leaves that client profiles name by node name, their internet address unknown: for a warning. */
      leavesWithoutAddress: string[];
      output: OutputPlan;
    };

export async function renderOverlay(request: RenderOverlayRequest): Promise<RenderOverlayResult> {
  const { plan, outDir } = request;
  const own = [KEYS_FILE];
  // Refused before any key is made: making keys for a large overlay takes a while.
  const folder = await readOutputFolder(outDir, own);
  if (!folder.ok) return { kind: 'refused', reason: folder.reason };
  const keysFile = path.join(outDir, KEYS_FILE);
  const foreign = foreignFolder(folder.folder);
  if (foreign !== null) {
    // A folder from a render older than its record: its keys are what matters, and they carry over on their own.
    const keysHere = existsSync(keysFile) ? `; to keep this overlay's keys, move ${KEYS_FILE} alone into a new folder and render there` : '';
    return { kind: 'refused', reason: `${outDir}: ${foreign}${keysHere}` };
  }

  let previous: OverlayKeys | undefined;
  try {
    previous = await loadOverlayKeys(keysFile);
  } catch (error) {
    return { kind: 'refused', reason: `${(error as Error).message}; move it aside to start a new overlay, nothing was written` };
  }
  if (previous && request.keyType && previous.keyType !== request.keyType) {
    return { kind: 'refused', reason: `the overlay in ${outDir} uses ${previous.keyType} keys; ${request.keyType} applies to a new overlay only` };
  }
  request.onProgress?.({ step: 'keys', reusing: previous ? keysFile : null });
  const keys = await ensureOverlayKeys(plan, previous, {
    keyType: request.keyType ?? previous?.keyType,
    clientsPerRoot: request.clientsPerRoot,
    bulk: request.bulk,
    now: request.now,
  });

  const files = renderOverlayFiles(plan, keys, request.render);
  if (request.check) {
    const refusals = checkVyosFiles(files, request.render?.vyosVersion ?? '1.4');
    if (refusals.length > 0) return { kind: 'check-failed', refusals };
  }
  const written = await writeRenderedTree(outDir, files, {
    dryRun: request.dryRun,
    own,
    folder: folder.folder,
    onWrite: (output) => request.onProgress?.({ step: 'files', count: output.write.length }),
  });
  if (written.kind === 'refused') return written;
  // After the files: a crash in between leaves files of keys that were never saved, which the next run replaces.
  if (!request.dryRun) await saveOverlayKeys(keysFile, keys);
  return {
    kind: 'rendered',
    dryRun: request.dryRun === true,
    newKeys: countNewKeys(previous, keys),
    renewed: renewedCertificates(previous, keys),
    clientProfiles: Object.keys(keys.clients).length,
    leavesWithoutAddress: profileLeavesWithoutAddress(plan, keys, request.render ?? {}),
    output: written.plan,
  };
}

/** What VyOS would refuse in each node's `vyos.set`, by node. */
function checkVyosFiles(files: readonly RenderedFile[], version: VyosVersion): NodeRefusal[] {
  return files
    .filter((f) => path.posix.basename(f.path) === VYOS_SET_FILE)
    .flatMap((f) => checkVyosConfig(f.content, version).map((refusal) => ({ node: path.posix.dirname(f.path), ...refusal })));
}

function countNewKeys(previous: OverlayKeys | undefined, keys: OverlayKeys): number {
  const serials = (k: OverlayKeys | undefined) =>
    new Set(
      k
        ? [
            k.controlCa.serial,
            ...Object.values(k.roots).flatMap((r) => [r.openvpnCa.serial, r.uplinkServer.serial]),
            ...Object.values(k.leaves).flatMap((l) => [l.clientServer.serial, l.uplinkClient.serial]),
            ...Object.values(k.clients).map((c) => c.serial),
          ]
        : [],
    );
  const before = serials(previous);
  return [...serials(keys)].filter((s) => !before.has(s)).length;
}
