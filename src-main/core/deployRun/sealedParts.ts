// The parts of the last package posted, kept in the overlay's state folder, so that the next deploy carries a node's part
// on as it is when the node's input did not change, instead of sealing its secrets again (an ECDH agreement per secret:
// most of a package's making). A part is carried on only for the very input and identity key it was sealed from.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { jsonStateFile } from '../../../src-node/jsonStateFile.ts';
import type { JsonFileRead } from '../../../src-node/jsonStateFile.ts';
import { NodeNameSchema } from '../../../src-shared/plan/nodeNames.ts';
import { canonicalJson } from '../../../src-shared/protocol/canonicalJson.ts';
import { NodePartSchema } from '../../../src-shared/protocol/deployPackage.ts';
import type { DeployNodeInput, DeployPackage, NodePart } from '../../../src-shared/protocol/deployPackage.ts';

/**
 * Format history:
 * - 1 (2026-12-08): first version.
 */
const SEALED_PARTS_VERSION = 1;

const SealedPartsSchema = z.strictObject({
  version: z.literal(SEALED_PARTS_VERSION),
  parts: z.record(
    NodeNameSchema,
    z.strictObject({
      /** inputFingerprint of what the part was made from. */
      input: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits'),
      part: NodePartSchema,
    }),
  ),
});
export type SealedParts = z.infer<typeof SealedPartsSchema>;

export const SEALED_PARTS_FILE = 'sealed-parts.json';

/** Reads the kept parts (a corrupt file is kept aside and reported) and writes them atomically, readable by the user only. */
export function sealedPartsFile(path: string, now: () => number): { load(): Promise<JsonFileRead<SealedParts>>; save(parts: SealedParts): Promise<void> } {
  return jsonStateFile(path, SealedPartsSchema, now);
}

/**
 * SHA-256 over a node's input and the identity key its secrets are sealed to. The input holds the secrets in clear, as
 * the deployed record's file digests do: they are keys drawn at random, which a digest does not give away.
 */
export function inputFingerprint(input: DeployNodeInput, identityKey: Uint8Array | undefined): string {
  const secrets = Object.fromEntries(Object.entries(input.secrets ?? {}).map(([path, value]) => [path, typeof value === 'string' ? { text: value } : { bytes: Buffer.from(value).toString('base64') }]));
  const key = identityKey === undefined ? null : Buffer.from(identityKey).toString('base64');
  return createHash('sha256').update(canonicalJson({ ...input, secrets, identityKey: key })).digest('hex');
}

/** The nodes whose kept part was made from the same fingerprint, carried as they are; the others, to seal. */
export function reuseSealedParts(
  inputs: Record<string, DeployNodeInput>,
  fingerprints: ReadonlyMap<string, string>,
  kept: SealedParts | undefined,
): { toSeal: Record<string, DeployNodeInput>; sealed: Record<string, NodePart> } {
  const toSeal: Record<string, DeployNodeInput> = {};
  const sealed: Record<string, NodePart> = {};
  for (const [node, input] of Object.entries(inputs)) {
    const before = kept?.parts[node];
    if (before !== undefined && before.input === fingerprints.get(node)) sealed[node] = before.part;
    else toSeal[node] = input;
  }
  return { toSeal, sealed };
}

/** What to keep of a package posted: each of its parts with the fingerprint of the input it was made from. */
export function sealedPartsOf(pkg: Pick<DeployPackage, 'nodes'>, fingerprints: ReadonlyMap<string, string>): SealedParts {
  const parts: SealedParts['parts'] = {};
  for (const [node, part] of Object.entries(pkg.nodes)) {
    const input = fingerprints.get(node);
    if (input !== undefined) parts[node] = { input, part };
  }
  return { version: SEALED_PARTS_VERSION, parts };
}
