// The node's identity on disk: its private key (made here, never sent anywhere), its control-CA certificate and the CA.
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../src-node/atomicFile.ts';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { certificateCommonName } from '../../src-node/x509/names.ts';

export interface Identity {
  node: string;
  key: KeyObject;
  keyPem: string;
  certPem: string;
  caPem: string;
  cert: X509Certificate;
  ca: X509Certificate;
}

export class IdentityError extends Error {}

export function identityPaths(dataDir: string): { dir: string; key: string; cert: string; ca: string } {
  const dir = path.join(dataDir, 'identity');
  return { dir, key: path.join(dir, 'key.pem'), cert: path.join(dir, 'cert.pem'), ca: path.join(dir, 'control-ca.pem') };
}

/** The node's private key, made (P-256) and stored with mode 0600 on first use. */
export async function ensureIdentityKey(dataDir: string): Promise<KeyObject> {
  const paths = identityPaths(dataDir);
  try {
    return createPrivateKey(await readFile(paths.key, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new IdentityError(`${paths.key}: unreadable identity key`);
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(paths.key, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 0o600);
  return privateKey;
}

/** A certification request for this node's identity key, to be signed by the control CA. */
export async function identityCsr(dataDir: string, node: string): Promise<string> {
  return createCsr(node, await ensureIdentityKey(dataDir));
}

/** Checks that `certPem` certifies this node's key under the name `node` and is issued by `caPem`, then stores both. */
export async function installIdentityCertificate(dataDir: string, node: string, certPem: string, caPem: string): Promise<void> {
  const key = await ensureIdentityKey(dataDir);
  checkIdentity(node, key, certPem, caPem);
  const paths = identityPaths(dataDir);
  await writeFileAtomic(paths.ca, caPem, 0o644);
  await writeFileAtomic(paths.cert, certPem, 0o644);
}

/** The complete identity, checked; IdentityError says what is missing or wrong. */
export async function loadIdentity(dataDir: string, node: string): Promise<Identity> {
  const paths = identityPaths(dataDir);
  const read = async (file: string, what: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch {
      throw new IdentityError(`${file}: no ${what}; enroll the node first (raincoat-agent csr, then install-cert)`);
    }
  };
  const keyPem = await read(paths.key, 'identity key');
  const certPem = await read(paths.cert, 'identity certificate');
  const caPem = await read(paths.ca, 'control CA certificate');
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new IdentityError(`${paths.key}: unreadable identity key`);
  }
  const { cert, ca } = checkIdentity(node, key, certPem, caPem);
  return { node, key, keyPem, certPem, caPem, cert, ca };
}

function checkIdentity(node: string, key: KeyObject, certPem: string, caPem: string): { cert: X509Certificate; ca: X509Certificate } {
  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    ca = new X509Certificate(caPem);
  } catch {
    throw new IdentityError('the certificate or the CA certificate is not a readable PEM certificate');
  }
  if (!ca.ca) throw new IdentityError('the control CA certificate is not a CA certificate');
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new IdentityError('the certificate is not issued by the control CA');
  if (!cert.publicKey.equals(createPublicKey(key))) throw new IdentityError("the certificate is not for this node's identity key");
  const name = certificateCommonName(cert);
  if (name !== node) throw new IdentityError(`the certificate names ${JSON.stringify(name ?? '')}, but this node is ${node}`);
  return { cert, ca };
}
