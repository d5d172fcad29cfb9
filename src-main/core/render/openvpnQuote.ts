// OpenVPN configuration-file quoting, shared by the Linux files and VyOS's raw `openvpn-option`s.
import { assertPrintable } from './assertPrintable.ts';

/** A word as OpenVPN's config parser reads it back: plain, or double-quoted with `\` and `"` escaped. */
export function openvpnQuote(word: string): string {
  assertPrintable(word, 'OpenVPN');
  return /^[A-Za-z0-9_.:/@+=,%-]+$/.test(word) ? word : `"${word.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
