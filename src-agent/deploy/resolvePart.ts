// Opens a node's sealed secrets and puts them in place in its files and commands, ready for the backend.
import { utf8DecodeStrict } from '../../src-shared/crypto/base64.ts';
import { openSealed, type OpeningKey } from '../../src-shared/crypto/seal.ts';
import {
  isVyosCommandLine,
  sealingTopology,
  secretContext,
  secretReferences,
  substituteSecrets,
  type NodePart,
} from '../../src-shared/protocol/deployPackage.ts';
import { PLAIN_FILE_MODE, SECRET_FILE_MODE, type ResolvedPart } from '../backends/types.ts';

export interface ResolvedNodePart {
  part: ResolvedPart;
  /** The opened secrets, to scrub from any message before it is reported or logged. */
  secretValues: string[];
}

/** Throws with a reason that names paths and positions, never a secret. */
export async function resolvePart(topologyId: string, nodeName: string, node: NodePart, key: OpeningKey): Promise<ResolvedNodePart> {
  const secrets = new Map<string, string>();
  const sealedFor = sealingTopology(node, topologyId);
  for (const [path, blob] of Object.entries(node.sealedSecrets)) {
    let bytes: Uint8Array;
    try {
      bytes = await openSealed(blob, key, secretContext(sealedFor, nodeName, path));
    } catch (error) {
      throw new Error(`secret "${path}" ${(error as Error).message}`, { cause: error });
    }
    try {
      secrets.set(path, utf8DecodeStrict(bytes));
    } catch {
      throw new Error(`secret "${path}" is not UTF-8 text`);
    }
  }

  const files: ResolvedPart['files'] = {};
  for (const [path, text] of Object.entries(node.files)) {
    // A file that takes in a secret is as sensitive as the secret.
    files[path] = { content: substituteSecrets(text, secrets), mode: secretReferences(text).length > 0 ? SECRET_FILE_MODE : PLAIN_FILE_MODE };
  }
  for (const [path, content] of secrets) files[path] = { content, mode: SECRET_FILE_MODE };

  const commands = (node.commands ?? []).map((line, i) => {
    const resolved = substituteSecrets(line, secrets);
    if (!isVyosCommandLine(resolved)) throw new Error(`command ${i + 1}: a secret put into it breaks the line (a quote or line break inside)`);
    return resolved;
  });
  return { part: { files, commands }, secretValues: [...secrets.values()] };
}

const MIN_REDACTED_CHARS = 6;

/** Replaces every secret, and every long line of a multi-line secret (a PEM key), by `[secret]`. */
export function redactSecrets(text: string, secretValues: readonly string[]): string {
  const needles = secretValues
    .flatMap((value) => [value, ...value.split('\n').map((line) => line.trim())])
    // PEM armour lines say what a key is, not what it is: no need to hide them.
    .filter((needle) => needle.length >= MIN_REDACTED_CHARS && !needle.startsWith('-----'))
    .sort((a, b) => b.length - a.length);
  return needles.reduce((out, needle) => out.split(needle).join('[secret]'), text);
}
