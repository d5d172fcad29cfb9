// PKCS#12 bundles of a certificate, its key and CA chain, for clients that import one file.
// node-forge's own `toPkcs12Asn1` only takes RSA keys it can parse, so the PFX is assembled here from
// forge's ASN.1, PBES2 and PKCS#12 MAC primitives: the key travels as an opaque PKCS#8 structure, EC or RSA.
import { createHash, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { fromPem } from '../../../src-node/x509/pem.ts';

export interface Pkcs12Options {
  /** CA certificates (PEM) to include after the certificate, such as the root's OpenVPN CA. */
  chainPems?: string[];
  /** The label import dialogs show. */
  friendlyName?: string;
}

const { asn1, pki } = forge;
const ITERATIONS = 2048;

function seq(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}
function set(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
}
function oid(name: string): forge.asn1.Asn1 {
  const dotted = pki.oids[name];
  if (!dotted) throw new Error(`node-forge knows no OID ${name}`);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
}
function octets(bytes: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
}
function explicit0(item: forge.asn1.Asn1): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [item]);
}
function integer(value: number): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
}
function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('binary');
}
/** PKCS#7 ContentInfo of type data wrapping the DER of `content`. */
function dataContent(content: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid('data'), explicit0(octets(asn1.toDer(content).getBytes()))]);
}
function attribute(type: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid(type), set([value])]);
}

/**
 * The PFX (DER) holding `certPem`, its `keyPem` (PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256) and the chain,
 * integrity-protected by an HMAC-SHA256 MAC: what OpenSSL 3 writes by default. The password must be printable ASCII.
 */
export function exportPkcs12(entry: { certPem: string; keyPem: string }, password: string, options: Pkcs12Options = {}): Buffer {
  // Non-ASCII passwords are encoded differently by PBKDF2 (UTF-8) and the PKCS#12 MAC (BMPString); keep them out.
  if (!/^[\x20-\x7e]+$/.test(password)) throw new Error('the PKCS#12 password must be non-empty printable ASCII');
  const certDer = fromPem(entry.certPem, 'CERTIFICATE');
  const keyDer = createPrivateKey(entry.keyPem).export({ type: 'pkcs8', format: 'der' });
  const localKeyId = octets(binary(createHash('sha1').update(certDer).digest()));
  const attributes = [attribute('localKeyId', localKeyId)];
  if (options.friendlyName) {
    attributes.push(attribute('friendlyName', asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, options.friendlyName)));
  }
  const bagAttributes = set(attributes);
  const certBag = (der: Uint8Array, attrs?: forge.asn1.Asn1) =>
    seq([oid('certBag'), explicit0(seq([oid('x509Certificate'), explicit0(octets(binary(der)))])), ...(attrs ? [attrs] : [])]);
  const certBags = [certBag(certDer, bagAttributes), ...(options.chainPems ?? []).map((pem) => certBag(fromPem(pem, 'CERTIFICATE')))];
  const shroudedKey = pki.encryptPrivateKeyInfo(asn1.fromDer(binary(keyDer)), password, {
    algorithm: 'aes256',
    prfAlgorithm: 'sha256',
    count: ITERATIONS,
    saltSize: 16,
  });
  const keyBag = seq([oid('pkcs8ShroudedKeyBag'), explicit0(shroudedKey), bagAttributes]);
  const authenticatedSafe = seq([dataContent(seq(certBags)), dataContent(seq([keyBag]))]);

  const salt = forge.random.getBytesSync(16);
  const macKey = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), 3, ITERATIONS, 32, forge.md.sha256.create());
  const hmac = forge.hmac.create();
  hmac.start('sha256', macKey);
  hmac.update(asn1.toDer(authenticatedSafe).getBytes());
  const sha256 = seq([oid('sha256'), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
  const macData = seq([seq([sha256, octets(hmac.getMac().getBytes())]), octets(salt), integer(ITERATIONS)]);

  const pfx = seq([integer(3), dataContent(authenticatedSafe), macData]);
  return Buffer.from(asn1.toDer(pfx).getBytes(), 'binary');
}
