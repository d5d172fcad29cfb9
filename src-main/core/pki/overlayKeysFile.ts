// Keeps the overlay's keys (CA keys, pre-shared keys, the control CA's key): sealed under the administrator's
// passphrase in the overlay's state folder, or as one plain JSON file (mode 0600) where render writes them beside the
// files that hold them anyway. Reads either back, checking its shape; an older plain keys file is read once and sealed
// at the next save. Version 1 files (one tls-crypt key per cloud) are upgraded as they are read.
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import { utf8DecodeStrict, utf8Encode } from '../../../src-shared/crypto/base64.ts';
import { formatJsonError, parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import { readSealedFile, writeSealedFile } from '../secrets/sealedFile.ts';
import type { Opened, Unlocker } from '../secrets/unlocker.ts';
import type { OverlayKeys } from './keyTypes.ts';
import { generateTlsCryptKey } from './tlsCryptKey.ts';
import { generateTlsCryptV2ClientKey, generateTlsCryptV2ServerKey } from '../../../src-node/openvpn/tlsCryptV2.ts';

const certifiedKey = { certPem: z.string(), keyPem: z.string(), serial: z.string().regex(/^[0-9a-f]+$/) };
const CertifiedKeySchema = z.strictObject(certifiedKey);
const CaSchema = z.strictObject({ ...certifiedKey, revokedSerials: z.array(z.string()), crlPem: z.string() });

const common = {
  keyType: z.enum(['ecdsa-p256', 'rsa-2048']),
  controlCa: CaSchema,
  leaves: z.record(z.string(), z.strictObject({ clientServer: CertifiedKeySchema, uplinkClient: CertifiedKeySchema })),
  tunnels: z.record(z.string(), z.strictObject({ psk: z.string() })),
};

const OverlayKeysSchema = z.strictObject({
  version: z.literal(2),
  ...common,
  roots: z.record(
    z.string(),
    z.strictObject({ openvpnCa: CaSchema, uplinkServer: CertifiedKeySchema, uplinkTlsCrypt: z.string(), clientTlsCrypt: z.string(), clientTlsCryptV2: z.string() }),
  ),
  clients: z.record(z.string(), z.strictObject({ ...certifiedKey, rootId: z.number().int().positive(), tlsCryptV2: z.string() })),
});

/** Before keys by purpose: one tls-crypt key per cloud, in its uplink and client servers and in every client profile alike. */
const OverlayKeysV1Schema = z.strictObject({
  version: z.literal(1),
  ...common,
  roots: z.record(z.string(), z.strictObject({ openvpnCa: CaSchema, uplinkServer: CertifiedKeySchema, tlsCrypt: z.string() })),
  clients: z.record(z.string(), z.strictObject({ ...certifiedKey, rootId: z.number().int().positive() })),
});

/**
 * Version 1 keys with a key for each purpose: the old shared key stays the uplink's (running uplinks keep working), the
 * client servers get keys of their own, and so every client VM a new profile (the old one held the backbone's key).
 */
function upgradeFromV1(keys: z.infer<typeof OverlayKeysV1Schema>): OverlayKeys {
  const roots = Object.fromEntries(
    Object.entries(keys.roots).map(([id, { tlsCrypt, ...root }]) => [
      id,
      { ...root, uplinkTlsCrypt: tlsCrypt, clientTlsCrypt: generateTlsCryptKey(), clientTlsCryptV2: generateTlsCryptV2ServerKey() },
    ]),
  );
  const clients = Object.fromEntries(
    Object.entries(keys.clients).map(([name, client]) => {
      const server = roots[String(client.rootId)]?.clientTlsCryptV2 ?? generateTlsCryptV2ServerKey();
      return [name, { ...client, tlsCryptV2: generateTlsCryptV2ClientKey(server) }];
    }),
  );
  return { ...keys, version: 2, roots, clients };
}

/** What a sealed keys file holds: authenticated with the data, so no other sealed file opens as the keys. */
export const KEYS_PURPOSE = 'overlay-keys';

const keysText = (keys: OverlayKeys) => `${JSON.stringify(keys, null, 1)}\n`;

/** In plain text: for render's output folder only, whose rendered files hold the same keys in plain text. */
export async function saveOverlayKeys(file: string, keys: OverlayKeys): Promise<void> {
  await writeFileAtomic(file, keysText(keys), 0o600);
}

/** The keys stored in plain text in `file`, or undefined when there is no such file; throws when it is not a keys file. */
export async function loadOverlayKeys(file: string): Promise<OverlayKeys | undefined> {
  const text = await readTextIfExists(file);
  return text === null ? undefined : parseOverlayKeys(text, file);
}

function parseOverlayKeys(text: string, file: string): OverlayKeys {
  // Errors name places only, never values: the values are secrets (parseJsonText never quotes the text).
  const json = parseJsonText(text);
  if (!json.ok) throw new Error(formatJsonError(file, json));
  const isV1 = typeof json.value === 'object' && json.value !== null && (json.value as { version?: unknown }).version === 1;
  const parsed = (isV1 ? OverlayKeysV1Schema : OverlayKeysSchema).safeParse(json.value);
  if (!parsed.success) throw new Error(`${file} is not an overlay keys file (${zodProblems(parsed.error, '(top)').map((p) => p.path).join(', ')})`);
  return parsed.data.version === 1 ? upgradeFromV1(parsed.data) : parsed.data;
}

/**
 * `none`: no keys yet and no passphrase to seal them under; `plain`: an older plain keys file, the same; `locked`: sealed,
 * and their passphrase is needed; `open`: nothing to ask (open, or a passphrase that needs nobody is at hand).
 */
export type KeysState = 'none' | 'plain' | 'locked' | 'open';

/** The overlay's keys as its state folder keeps them, sealed. Every method throws with a message naming the file, never a key. */
export interface KeptOverlayKeys {
  file: string;
  /** The keys, undefined before the first deploy: unsealed by the vault already open, the OS's store, else the passphrase. */
  open(): Promise<OverlayKeys | undefined>;
  /** Gets the vault the next save seals with (a new passphrase before the first save): asked for before a deploy goes ahead. */
  readyToSave(): Promise<void>;
  save(keys: OverlayKeys): Promise<void>;
  /** The application's hook: `passphrase` opens the keys (or becomes theirs when there are none) for the run; a wrong one changes nothing. */
  unlock(passphrase: string): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Whether the keys open without asking anyone (open already, the OS store, the environment, the sandbox's kept passphrase): for the application to know whether to ask, and for what. */
  state(): Promise<KeysState>;
}

export function keptOverlayKeys(file: string, unlocker: Unlocker): KeptOverlayKeys {
  const failed = (opened: Opened) => {
    if (!opened.ok) throw new Error(`${file}: ${opened.message}`);
    return opened.vault;
  };
  const sealed = async () => {
    const read = await readSealedFile(file);
    if (read.kind === 'sealed' && read.envelope.purpose !== KEYS_PURPOSE) throw new Error(`${file} holds sealed ${read.envelope.purpose}, not the overlay's keys`);
    return read;
  };
  /** The vault of the keys there are, else a new one: a save never puts the keys under another passphrase than theirs. */
  const vaultForSave = async () => {
    const read = await sealed();
    return failed(read.kind === 'sealed' ? await unlocker.vaultFor(read.envelope, KEYS_PURPOSE) : await unlocker.newVault());
  };

  return {
    file,
    async open() {
      const read = await sealed();
      if (read.kind === 'missing') return undefined;
      if (read.kind === 'plain') {
        const keys = parseOverlayKeys(read.text, file);
        unlocker.notice(`${file} holds the overlay's keys in plain text, as Raincoat kept them before: they are sealed under the passphrase at the next save`);
        return keys;
      }
      const data = failed(await unlocker.vaultFor(read.envelope, KEYS_PURPOSE)).open(read.envelope, KEYS_PURPOSE);
      if (data === undefined) throw new Error(`${file}: the sealed keys do not authenticate: they were changed or damaged`);
      return parseOverlayKeys(utf8DecodeStrict(data), file);
    },
    async readyToSave() {
      await vaultForSave();
    },
    async save(keys) {
      const vault = await vaultForSave();
      await writeSealedFile(file, await vault.seal(KEYS_PURPOSE, utf8Encode(keysText(keys)), 'this-machine'));
    },
    async unlock(passphrase) {
      const read = await sealed();
      const opened = await unlocker.unlockWith(passphrase, read.kind === 'sealed' ? { envelope: read.envelope, purpose: KEYS_PURPOSE } : undefined);
      return opened.ok ? { ok: true } : opened;
    },
    async state() {
      const read = await sealed();
      if (read.kind === 'sealed') return (await unlocker.vaultFor(read.envelope, KEYS_PURPOSE, false)).ok ? 'open' : 'locked';
      // With a passphrase that needs nobody (the environment, the sandbox's), the first save needs nothing asked either.
      if ((await unlocker.newVault(false)).ok) return 'open';
      return read.kind === 'missing' ? 'none' : 'plain';
    },
  };
}
