// Reads what the renderers need out of PEM key material: DER bodies, PKCS#8 keys, common names, static key hex. Each read
// of a PEM is remembered (textMemo): every deploy renders every node again from the same keys.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { textMemo } from '../../../src-shared/cache/textMemo.ts';
import { certificateCommonName } from '../../../src-node/x509/names.ts';
import { fromPem } from '../../../src-node/x509/pem.ts';
import type { LeafKeys, OverlayKeys, RootKeys } from '../pki/keyTypes.ts';
import { parseOpenVpnStaticKey } from '../pki/tlsCryptKey.ts';

/** A certificate's DER in base64, one line: what VyOS's `pki … certificate` holds. */
export const certificateBase64 = textMemo((certPem: string): string => new X509Certificate(certPem).raw.toString('base64'));

/** A CRL's DER in base64, one line: what VyOS's `pki ca … crl` holds. */
export function crlBase64(crlPem: string): string {
  return fromPem(crlPem, 'X509 CRL').toString('base64');
}

/** Any private key PEM as unencrypted PKCS#8 DER in base64: what VyOS's `pki … private key` holds. */
export const privateKeyBase64 = textMemo((keyPem: string): string => createPrivateKey(keyPem).export({ format: 'der', type: 'pkcs8' }).toString('base64'));

/** Whether a private key PEM is an EC key (ECDHE only then: RSA servers on VyOS need DH parameters). */
export const isEcKey = textMemo((keyPem: string): boolean => createPrivateKey(keyPem).asymmetricKeyType === 'ec');

/** Whether a PKCS#8 DER key (base64) is an EC key; false for anything unreadable. */
export function isEcPrivateKeyBase64(base64: string): boolean {
  try {
    return createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'pkcs8' }).asymmetricKeyType === 'ec';
  } catch {
    return false;
  }
}

/** The subject common name of a certificate: OpenVPN names client-config-dir entries by it. */
export const commonName = textMemo((certPem: string): string => {
  const cert = new X509Certificate(certPem);
  const cn = certificateCommonName(cert);
  if (cn === undefined) throw new Error(`certificate subject "${cert.subject}" has no single common name`);
  return cn;
});

/** The key hex of an OpenVPN static key text on one line: what VyOS's `pki openvpn shared-secret … key` holds. */
export function staticKeyHex(text: string): string {
  return parseOpenVpnStaticKey(text).toString('hex');
}

export function rootKeysOf(keys: OverlayKeys, rootId: number): RootKeys {
  const found = keys.roots[String(rootId)];
  if (!found) throw new Error(`no keys for root ${rootId}`);
  return found;
}

export function leafKeysOf(keys: OverlayKeys, leafNodeName: string): LeafKeys {
  const found = keys.leaves[leafNodeName];
  if (!found) throw new Error(`no keys for ${leafNodeName}`);
  return found;
}

export function tunnelPskOf(keys: OverlayKeys, tunnelName: string): string {
  const found = keys.tunnels[tunnelName];
  if (!found) throw new Error(`no pre-shared key for ${tunnelName}`);
  return found.psk;
}
