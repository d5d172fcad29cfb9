// A file that keeps secrets sealed (an envelope, mode 0600, in a folder of mode 0700), or that an older version kept in
// plain text: read as what it is, so that its owner can read the old form once and write the sealed one.
import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readTextIfExists, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import { looksSealed, SealedEnvelopeSchema } from '../../../src-shared/secrets/sealedEnvelope.ts';
import type { SealedEnvelope } from '../../../src-shared/secrets/sealedEnvelope.ts';
import { parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { zodProblems } from '../../../src-shared/validation/zodProblems.ts';

/** `plain`: anything that is not an envelope, for its owner to parse as its plain-text form (or refuse). */
export type SealedFileRead = { kind: 'missing' } | { kind: 'plain'; text: string } | { kind: 'sealed'; envelope: SealedEnvelope };

/** Throws when the file claims to be an envelope and is not a valid one; the message names places, never values. */
export async function readSealedFile(file: string): Promise<SealedFileRead> {
  const text = await readTextIfExists(file);
  if (text === null) return { kind: 'missing' };
  const json = parseJsonText(text);
  if (!json.ok || !looksSealed(json.value)) return { kind: 'plain', text };
  const parsed = SealedEnvelopeSchema.safeParse(json.value);
  if (!parsed.success) throw new Error(`${file} is a damaged sealed file (${zodProblems(parsed.error, '(top)').map((p) => p.path).join(', ')})`);
  return { kind: 'sealed', envelope: parsed.data };
}

/** Written atomically; the folder is made, or narrowed, to its owner alone. */
export async function writeSealedFile(file: string, envelope: SealedEnvelope): Promise<void> {
  const folder = dirname(file);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
  await writeFileAtomic(file, `${JSON.stringify(envelope, null, 1)}\n`, 0o600);
}
