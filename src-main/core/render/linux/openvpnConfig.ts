// OpenVPN configuration text from directives, and the TLS material directives (file paths or inline blocks).
import { openvpnQuote } from '../openvpnQuote.ts';

export type OpenvpnDirective =
  | { kind: 'line'; words: readonly string[] }
  | { kind: 'inline'; name: string; content: string }
  | { kind: 'comment'; text: string };

export const directive = (...words: string[]): OpenvpnDirective => ({ kind: 'line', words });
export const comment = (text: string): OpenvpnDirective => ({ kind: 'comment', text: text.replace(/[\r\n]+/g, ' ') });

/** `push "route …"` and friends: the pushed option travels as one quoted word. */
export const push = (...words: string[]): OpenvpnDirective => directive('push', words.join(' '));

export function renderOpenvpnConfig(directives: readonly OpenvpnDirective[]): string {
  const out: string[] = [];
  for (const d of directives) {
    if (d.kind === 'comment') out.push(`# ${d.text}`);
    else if (d.kind === 'inline') out.push(`<${d.name}>`, d.content.trimEnd(), `</${d.name}>`);
    else out.push(d.words.map(openvpnQuote).join(' '));
  }
  return `${out.join('\n')}\n`;
}

/** Where a node keeps its TLS material, relative to its base folder. */
export const PKI_FILES = {
  ca: 'pki/ca.crt',
  crl: 'pki/crl.pem',
  /** The root's and its leaves' uplink ends only. */
  uplinkTlsCrypt: 'pki/uplink-tls-crypt.key',
  /** A leaf's client server: the cloud's tls-crypt-v2 server key, under which each client VM's key is wrapped. */
  clientTlsCryptV2: 'pki/client-tls-crypt-v2-server.key',
  uplinkServer: 'pki/uplink-server',
  uplinkClient: 'pki/uplink-client',
  clientServer: 'pki/client-server',
} as const;

export interface TlsMaterial {
  caPem: string;
  /** Servers check it, so that a revoked leaf or client is shut out. */
  crlPem?: string;
  /** Without `keyPem`, the key stays out: a client VM names its own key file (enrollment templates). */
  certified: { certPem: string; keyPem?: string };
  /** The control channel's key: `tls-crypt` (a static key) or `tls-crypt-v2` (a server's key, or a client's own). */
  tlsCrypt: { kind: 'tls-crypt' | 'tls-crypt-v2'; key: string };
}

/** Where the material lives on the node: `baseDir`, the `pki/<role>` stem of the certificate and key, the tls-crypt key's file. */
export interface TlsFiles {
  baseDir: string;
  stem: string;
  tlsCrypt: string;
}

/** ca, cert, key, tls-crypt or tls-crypt-v2 (and crl-verify) as paths under the base folder, or inline blocks when `files` is undefined. */
export function tlsDirectives(m: TlsMaterial, files: TlsFiles | undefined): OpenvpnDirective[] {
  const entry = (name: string, relative: string, content: string): OpenvpnDirective =>
    files === undefined ? { kind: 'inline', name, content } : directive(name, `${files.baseDir}/${relative}`);
  const stem = files?.stem ?? '';
  return [
    entry('ca', PKI_FILES.ca, m.caPem),
    entry('cert', `${stem}.crt`, m.certified.certPem),
    ...(m.certified.keyPem === undefined ? [] : [entry('key', `${stem}.key`, m.certified.keyPem)]),
    entry(m.tlsCrypt.kind, files?.tlsCrypt ?? '', m.tlsCrypt.key),
    ...(m.crlPem ? [entry('crl-verify', PKI_FILES.crl, m.crlPem)] : []),
  ];
}

/** What every tunnel of the overlay agrees on: TLS 1.2 or later, AEAD data ciphers only. */
export const CRYPTO_DIRECTIVES: readonly OpenvpnDirective[] = [
  directive('tls-version-min', '1.2'),
  directive('data-ciphers', 'AES-256-GCM:CHACHA20-POLY1305'),
];
