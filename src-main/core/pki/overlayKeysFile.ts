// Stores the overlay's keys as one JSON file (mode 0600) and reads it back, checking its shape.
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import { formatJsonError, parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import type { OverlayKeys } from './keyTypes.ts';

const certifiedKey = { certPem: z.string(), keyPem: z.string(), serial: z.string().regex(/^[0-9a-f]+$/) };
const CertifiedKeySchema = z.strictObject(certifiedKey);
const CaSchema = z.strictObject({ ...certifiedKey, revokedSerials: z.array(z.string()), crlPem: z.string() });

const OverlayKeysSchema = z.strictObject({
  version: z.literal(1),
  keyType: z.enum(['ecdsa-p256', 'rsa-2048']),
  controlCa: CaSchema,
  roots: z.record(z.string(), z.strictObject({ openvpnCa: CaSchema, uplinkServer: CertifiedKeySchema, tlsCrypt: z.string() })),
  leaves: z.record(z.string(), z.strictObject({ clientServer: CertifiedKeySchema, uplinkClient: CertifiedKeySchema })),
  tunnels: z.record(z.string(), z.strictObject({ psk: z.string() })),
  clients: z.record(z.string(), z.strictObject({ ...certifiedKey, rootId: z.number().int().positive() })),
});

export async function saveOverlayKeys(file: string, keys: OverlayKeys): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(keys, null, 1)}\n`, 0o600);
}

/** The keys stored in `file`, or undefined when there is no such file; throws when it is not a keys file. */
export async function loadOverlayKeys(file: string): Promise<OverlayKeys | undefined> {
  const text = await readTextIfExists(file);
  if (text === null) return undefined;
  // Errors name places only, never values: the values are secrets (parseJsonText never quotes the text).
  const json = parseJsonText(text);
  if (!json.ok) throw new Error(formatJsonError(file, json));
  const parsed = OverlayKeysSchema.safeParse(json.value);
  if (!parsed.success) throw new Error(`${file} is not an overlay keys file (${zodProblems(parsed.error, '(top)').map((p) => p.path).join(', ')})`);
  return parsed.data;
}
