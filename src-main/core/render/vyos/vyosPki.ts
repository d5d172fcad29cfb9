// The VyOS `pki` subtree of a node: its cloud's CA (with CRL), its certificates and keys, its tls-crypt keys, DH groups.
import { leaf, node, tagNode, type ConfigNode } from '../configTree.ts';
import { certificateBase64, crlBase64, privateKeyBase64, staticKeyHex } from '../keyMaterial.ts';
import type { CertifiedKey, RootKeys } from '../../pki/keyTypes.ts';
import { VYOS_NAMES } from './vyosNames.ts';

/** RFC 7919 ffdhe2048 (PKCS#3 DER, base64): only for RSA servers, which VyOS refuses without DH parameters. */
const FFDHE2048_BASE64 =
  'MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaDssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==';

/**
 * `pki` for one node: the cloud's CA certificate and CRL (never its key: that stays with the agent),
 * the node's certificates with their keys, its tls-crypt static keys (by name), and ffdhe2048 when `withDh`.
 */
export function vyosPki(rootKeys: RootKeys, certificates: Record<string, CertifiedKey>, tlsCrypt: Record<string, string>, withDh: boolean): ConfigNode {
  const ca = rootKeys.openvpnCa;
  return node('pki', [
    tagNode('ca', VYOS_NAMES.ca, [
      leaf('certificate', certificateBase64(ca.certPem)),
      ...(ca.crlPem ? [leaf('crl', crlBase64(ca.crlPem))] : []),
    ]),
    ...Object.entries(certificates).map(([name, certified]) =>
      tagNode('certificate', name, [
        leaf('certificate', certificateBase64(certified.certPem)),
        node('private', [leaf('key', privateKeyBase64(certified.keyPem))]),
      ]),
    ),
    ...(withDh ? [tagNode('dh', VYOS_NAMES.dhParams, [leaf('parameters', FFDHE2048_BASE64)])] : []),
    node(
      'openvpn',
      Object.entries(tlsCrypt).map(([name, key]) => tagNode('shared-secret', name, [leaf('key', staticKeyHex(key)), leaf('version', '1')])),
    ),
  ]);
}
