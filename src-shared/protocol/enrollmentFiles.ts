// Where a deploy package carries a node's client-enrollment material, and the placeholders of its profile templates:
// the application writes them (deploy), the agent reads them from the part in effect (enroll route).
//
//   root:  enrollment/ca.crt                      its cloud's OpenVPN CA certificate
//          enrollment/ca.key                      that CA's key, sealed (it never travels in the clear)
//          enrollment/leaves/<leaf>.ovpn          the profile template for each of its leaves
//   leaf:  enrollment/client.ovpn                 the profile template for itself
//   both:  enrollment/tls-crypt-v2-server.key     sealed, where a template asks for a tls-crypt-v2 client key
// A template is a whole profile but for what the client VM gets at enrollment; its own key stays on the VM, which names
// its file (the first-boot script adds a `key` line).

/** Everything under it is enrollment material, for the agent itself: no backend configuration. */
export const ENROLLMENT_DIR = 'enrollment/';

export const ENROLLMENT_FILES = {
  caCert: `${ENROLLMENT_DIR}ca.crt`,
  caKey: `${ENROLLMENT_DIR}ca.key`,
  leafProfiles: `${ENROLLMENT_DIR}leaves/`,
  ownProfile: `${ENROLLMENT_DIR}client.ovpn`,
  tlsCryptV2ServerKey: `${ENROLLMENT_DIR}tls-crypt-v2-server.key`,
} as const;

/** Replaced by the client's certificate, signed by the cloud's client CA (inside `<cert>…</cert>`). */
export const CERTIFICATE_PLACEHOLDER = '{{client-certificate}}';
/**
 * Replaced by a tls-crypt-v2 client key made for this client under the node's tls-crypt-v2 server key (inside
 * `<tls-crypt-v2>…</tls-crypt-v2>`): linux client servers. VyOS client servers have none; their templates carry the
 * cloud's static tls-crypt key as it is.
 */
export const TLS_CRYPT_V2_PLACEHOLDER = '{{tls-crypt-v2-client-key}}';

export function isEnrollmentFile(path: string): boolean {
  return path.startsWith(ENROLLMENT_DIR);
}
