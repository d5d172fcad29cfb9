// Each node's client-enrollment material for a deploy, as rendered files under enrollment/ (the layout and placeholders:
// src-shared/protocol/enrollmentFiles.ts): what a root needs to sign client VMs in and hand them a leaf's profile.
import type { AddressPlan, LeafPlan, RootPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { DeployBackend, DeployNodeInput } from '../../../src-shared/protocol/deployPackage.ts';
import { CERTIFICATE_PLACEHOLDER, ENROLLMENT_FILES, TLS_CRYPT_V2_PLACEHOLDER, isEnrollmentFile } from '../../../src-shared/protocol/enrollmentFiles.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { rootKeysOf } from '../render/keyMaterial.ts';
import { renderClientProfileFor } from '../render/linux/renderOpenvpn.ts';
import { clientLeafOrder } from '../render/overlayFacts.ts';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import type { RenderOptions } from '../render/renderOptions.ts';

const SECRET = 0o600;
const PUBLIC = 0o644;

/**
 * By node name: a root's CA certificate and key and a template per leaf, a leaf's own template, and the cloud's
 * tls-crypt-v2 server key where the templates ask for client keys. `backendOf` says what each leaf's client server runs:
 * linux (and dry-run) ones take a tls-crypt-v2 key per client, made at enrollment; VyOS ones the cloud's static tls-crypt
 * key, which makes their template a secret. A template lists its leaf first, then the root's other leaves of the same
 * kind to fail over to (a client's key fits only those).
 */
export function enrollmentFiles(plan: AddressPlan, keys: OverlayKeys, backendOf: (node: string) => DeployBackend, options: RenderOptions): Map<string, RenderedFile[]> {
  const byNode = new Map<string, RenderedFile[]>();
  for (const root of plan.roots) {
    const rootKeys = rootKeysOf(keys, root.rootId);
    const serverKey: RenderedFile = { path: ENROLLMENT_FILES.tlsCryptV2ServerKey, content: rootKeys.clientTlsCryptV2, mode: SECRET };
    const onVyos = (leaf: LeafPlan) => backendOf(leaf.nodeName) === 'vyos';
    const template = (leaf: LeafPlan): { content: string; mode: RenderedFile['mode'] } => {
      const vyos = onVyos(leaf);
      const leaves = clientLeafOrder(root, leaf.index).filter((other) => onVyos(other) === vyos);
      const tlsCrypt = vyos ? { kind: 'tls-crypt' as const, key: rootKeys.clientTlsCrypt } : { kind: 'tls-crypt-v2' as const, key: TLS_CRYPT_V2_PLACEHOLDER };
      const content = renderClientProfileFor(root, leaves, title(root, leaf), { certPem: CERTIFICATE_PLACEHOLDER, tlsCrypt }, keys, options);
      return { content, mode: vyos ? SECRET : PUBLIC };
    };
    const templates = new Map(root.leaves.map((leaf) => [leaf.nodeName, template(leaf)]));
    const anyV2 = root.leaves.some((leaf) => !onVyos(leaf));
    byNode.set(root.nodeName, [
      { path: ENROLLMENT_FILES.caCert, content: rootKeys.openvpnCa.certPem, mode: PUBLIC },
      { path: ENROLLMENT_FILES.caKey, content: rootKeys.openvpnCa.keyPem, mode: SECRET },
      ...root.leaves.map((leaf): RenderedFile => ({ path: `${ENROLLMENT_FILES.leafProfiles}${leaf.nodeName}.ovpn`, ...templates.get(leaf.nodeName)! })),
      ...(anyV2 ? [serverKey] : []),
    ]);
    for (const leaf of root.leaves) {
      byNode.set(leaf.nodeName, [{ path: ENROLLMENT_FILES.ownProfile, ...templates.get(leaf.nodeName)! }, ...(onVyos(leaf) ? [] : [serverKey])]);
    }
  }
  return byNode;
}

function title(root: RootPlan, leaf: LeafPlan): string {
  return `Raincoat client of ${root.nodeName} (${root.name}) through ${leaf.nodeName}; its key stays on the client, in the file a key line names`;
}

/** A node's enrollment files as they go in its part, whatever its backend: as they are, those of mode 0600 sealed to it. */
export function enrollmentPart(files: readonly RenderedFile[]): Required<Pick<DeployNodeInput, 'files' | 'secrets'>> {
  const part = { files: {} as Record<string, string>, secrets: {} as Record<string, string> };
  for (const file of files) if (isEnrollmentFile(file.path)) (file.mode === SECRET ? part.secrets : part.files)[file.path] = file.content;
  return part;
}
