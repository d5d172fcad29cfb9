// The signing side of a CA as the encoders need it, read from its certificate and key.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { keyIdentifier } from './certificateEncoder.ts';
import { readCertificateFields } from './certificateReader.ts';
import { commonNameDer } from './names.ts';
import { fromPem } from './pem.ts';

/** Who signs: the issuer's Name (DER), its key identifier (the AKI of what it signs), key and end of validity. */
export interface Issuer {
  nameDer: Uint8Array;
  keyId: Uint8Array;
  signingKey: KeyObject;
  /** Certificates it issues never outlive it. */
  notAfter: Date;
}

/** A CA as signing needs it: its certificate and key, PEM. CaMaterial is one; so is a CA made elsewhere. */
export interface SigningCa {
  certPem: string;
  keyPem: string;
}

/** Reads a CA certificate and key into an Issuer; throws when the key does not belong to the certificate. */
export function issuerFromCa(ca: SigningCa): Issuer {
  const fields = readCertificateFields(fromPem(ca.certPem, 'CERTIFICATE'));
  const signingKey = createPrivateKey(ca.keyPem);
  if (!createPublicKey(signingKey).export({ type: 'spki', format: 'der' }).equals(fields.spkiDer)) {
    throw new Error('the CA key does not match the CA certificate');
  }
  return {
    nameDer: fields.subjectDer,
    // The AKI of what a CA signs must repeat the CA's own SKI, however that was computed.
    keyId: fields.subjectKeyId ?? keyIdentifier(fields.spkiDer),
    signingKey,
    notAfter: fields.notAfter,
  };
}

/** The issuer of a self-signed certificate, before that certificate exists. */
export function selfIssuer(commonName: string, signingKey: KeyObject, spkiDer: Uint8Array, notAfter: Date): Issuer {
  return { nameDer: commonNameDer(commonName), keyId: keyIdentifier(spkiDer), signingKey, notAfter };
}
