// Signs certificate signing requests (PKCS#10): agents' identities and client VMs enrolling with keys made on the box.
import { createPublicKey, verify } from 'node:crypto';
import { encodeCertificate } from './certificateEncoder.ts';
import type { EndEntityProfile } from './certificateTemplate.ts';
import { OID, TAG, contentBytes, elementBytes, elementEquals, readChildren, readTlv, type Tlv } from './der.ts';
import { endEntityTemplate, type ValidityOptions } from './issueCertificate.ts';
import { isAcceptableRequestKey } from './keyPairs.ts';
import type { SigningCa } from './issuer.ts';
import type { IssuedCertificate } from './keyTypes.ts';
import { fromPem, toPem } from './pem.ts';
import { randomSerial, serialToHex } from './randomSerial.ts';

export interface CertificateRequest {
  /** The subject's commonName, when the request has one. */
  commonName: string | undefined;
  spkiDer: Buffer;
  keyAlgorithm: 'ec' | 'rsa';
}

export interface SignCsrOptions extends ValidityOptions {
  /** The subject to certify; overrides the request's commonName (the CA decides who the key is, not the requester). */
  commonName?: string;
}

/** Signature algorithms a request may use, by the hex DER of their OID element, with their hash. */
const REQUEST_SIGNATURE_HASHES: Record<string, string> = {
  '06082a8648ce3d040302': 'sha256', // ecdsa-with-SHA256
  '06082a8648ce3d040303': 'sha384', // ecdsa-with-SHA384
  '06092a864886f70d01010b': 'sha256', // sha256WithRSAEncryption
  '06092a864886f70d01010c': 'sha384', // sha384WithRSAEncryption
  '06092a864886f70d01010d': 'sha512', // sha512WithRSAEncryption
};

/** UTF8String, PrintableString, IA5String: the string types whose bytes read as UTF-8. */
const TEXT_TAGS: ReadonlySet<number> = new Set([0x0c, 0x13, 0x16]);

function child(children: Tlv[], index: number, tag: number, what: string): Tlv {
  const element = children[index];
  if (!element || element.tag !== tag) throw new Error(`not a certificate request: ${what} missing`);
  return element;
}

function commonNameOf(der: Buffer, name: Tlv): string | undefined {
  for (const rdn of readChildren(der, name)) {
    for (const attribute of readChildren(der, rdn)) {
      const [type, value] = readChildren(der, attribute);
      if (value && elementEquals(der, type, OID.commonName)) {
        if (!TEXT_TAGS.has(value.tag)) throw new Error('certificate request: unsupported commonName string type');
        return Buffer.from(contentBytes(der, value)).toString('utf8');
      }
    }
  }
  return undefined;
}

/** Parses a PEM request and checks its self-signature (proof that the requester holds the key); throws otherwise. */
export function readCertificateRequest(csrPem: string): CertificateRequest {
  const der = fromPem(csrPem, 'CERTIFICATE REQUEST');
  const top = readChildren(der, readTlv(der));
  const info = child(top, 0, TAG.sequence, 'certificationRequestInfo');
  const algorithm = child(top, 1, TAG.sequence, 'signatureAlgorithm');
  const signature = child(top, 2, TAG.bitString, 'signature');
  const infoChildren = readChildren(der, info);
  const subject = child(infoChildren, 1, TAG.sequence, 'subject');
  const spkiDer = Buffer.from(elementBytes(der, child(infoChildren, 2, TAG.sequence, 'subjectPKInfo')));
  const [oid] = readChildren(der, algorithm);
  const hash = oid && REQUEST_SIGNATURE_HASHES[Buffer.from(elementBytes(der, oid)).toString('hex')];
  if (!hash) throw new Error('certificate request: unsupported signature algorithm');
  const publicKey = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  if (!isAcceptableRequestKey(publicKey)) throw new Error('certificate request: key too weak or of an unsupported type');
  if (!verify(hash, elementBytes(der, info), publicKey, contentBytes(der, signature).subarray(1))) {
    throw new Error('certificate request: bad signature');
  }
  return { commonName: commonNameOf(der, subject), spkiDer, keyAlgorithm: publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec' };
}

/** Certifies the key of a verified request with `profile`, signed by `ca`. */
export function signCsr(ca: SigningCa, csrPem: string, profile: EndEntityProfile, options: SignCsrOptions = {}): IssuedCertificate {
  const request = readCertificateRequest(csrPem);
  const commonName = options.commonName ?? request.commonName;
  if (!commonName) throw new Error('certificate request: no commonName, and none given');
  const serial = randomSerial();
  const certificate = encodeCertificate(endEntityTemplate(ca, profile, request.keyAlgorithm, options), serial, commonName, request.spkiDer);
  return { certPem: toPem('CERTIFICATE', certificate), serial: serialToHex(serial) };
}
