// Issues a batch of certificates from one template, each with a fresh key pair: the loop the bulk workers run.
import { encodeCertificate, type CertificateTemplate } from '../../../src-node/x509/certificateEncoder.ts';
import { toPem } from '../../../src-node/x509/pem.ts';
import { randomSerial, serialToHex } from '../../../src-node/x509/randomSerial.ts';
import { generateKeyPair } from './keyPairs.ts';
import type { CertifiedKey, KeyType } from './keyTypes.ts';

export function issueFromTemplate(template: CertificateTemplate, keyType: KeyType, commonNames: readonly string[]): CertifiedKey[] {
  return commonNames.map((commonName) => {
    const { keyPem, spkiDer } = generateKeyPair(keyType);
    const serial = randomSerial();
    return { certPem: toPem('CERTIFICATE', encodeCertificate(template, serial, commonName, spkiDer)), keyPem, serial: serialToHex(serial) };
  });
}
