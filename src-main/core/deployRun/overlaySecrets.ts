// The overlay's secrets as the rendered files spell them (private keys, pre-shared keys, tls-crypt keys), so that a plan
// can show a file's change with each one replaced by `[secret]`, and a VyOS node's lines can carry them by reference.
import type { CertifiedKey, OverlayKeys } from '../pki/keyTypes.ts';
import { privateKeyBase64, staticKeyHex } from '../render/keyMaterial.ts';

export const REDACTED = '[secret]';

/**
 * A run of base64, hex or pre-shared-key characters long enough to be key material. Every secret word below is one such
 * run in the files (quoted in VyOS and swanctl, a line of its own in PEM), so one pass over a text finds them all.
 */
const WORD = /[A-Za-z0-9+/=]{16,}/g;

const WHOLE_WORD = new RegExp(`^${WORD.source}$`);

/** A PEM block's body, line by line (its armour and comments say what it is, not what it is). */
function pemWords(pem: string): string[] {
  return pem.split('\n').filter((line) => WHOLE_WORD.test(line));
}

/** A private key as VyOS holds it (base64 DER on one line) and as PEM files do. */
function keyWords(key: CertifiedKey): string[] {
  return [privateKeyBase64(key.keyPem), ...pemWords(key.keyPem)];
}

/** Every secret of the overlay, in every form the renderers write it. */
export function secretWords(keys: OverlayKeys): Set<string> {
  const words = new Set<string>(keyWords(keys.controlCa));
  for (const root of Object.values(keys.roots)) {
    const staticKeys = [root.uplinkTlsCrypt, root.clientTlsCrypt].flatMap((key) => [staticKeyHex(key), ...pemWords(key)]);
    for (const word of [...keyWords(root.openvpnCa), ...keyWords(root.uplinkServer), ...staticKeys, ...pemWords(root.clientTlsCryptV2)]) words.add(word);
  }
  for (const leaf of Object.values(keys.leaves)) for (const word of [...keyWords(leaf.clientServer), ...keyWords(leaf.uplinkClient)]) words.add(word);
  for (const client of Object.values(keys.clients)) for (const word of [...keyWords(client), ...pemWords(client.tlsCryptV2)]) words.add(word);
  for (const tunnel of Object.values(keys.tunnels)) words.add(tunnel.psk);
  return words;
}

/** `text` with what `each` returns in place of every secret word; by default `[secret]`. */
export function replaceSecrets(text: string, words: ReadonlySet<string>, each: (word: string) => string = () => REDACTED): string {
  return text.replace(WORD, (word) => (words.has(word) ? each(word) : word));
}
