// Test support for the PKI: command-line tools (openssl, openvpn) on files in a scratch directory that is always
// removed, fresh CAs to sign with, and a decoder that reports a certificate's profile-relevant fields.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import type {
  Name} from '@peculiar/asn1-x509';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  KeyUsage,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { selfSignedCaCertificate } from './caCertificate.ts';
import { fromPem } from './pem.ts';

function missing(tool: string, args: string[]): string | undefined {
  return spawnSync(tool, args).error ? `${tool} is not installed on this machine` : undefined;
}
export const opensslMissing = missing('openssl', ['version']);
export const openvpnMissing = missing('openvpn', ['--version']);

/** Skips the running test, saying why, when `reason` is set. */
export function skipIf(ctx: { skip: (note?: string) => never }, reason: string | undefined): void {
  if (!reason) return;
  console.warn(`skipped: ${reason}`);
  ctx.skip(reason);
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Scratch {
  dir: string;
  /** Writes `content` to `name` in the scratch directory and returns its path. */
  write(name: string, content: string | Uint8Array): string;
  run(tool: string, args: string[]): ToolResult;
  remove(): void;
}

export function scratchDir(): Scratch {
  const dir = mkdtempSync(path.join(tmpdir(), 'raincoat-pki-'));
  return {
    dir,
    write(name, content) {
      const file = path.join(dir, name);
      writeFileSync(file, content, { mode: 0o600 });
      return file;
    },
    run(tool, args) {
      const result = spawnSync(tool, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh self-signed CA (P-256 unless told otherwise): certificate and key, PEM. */
export function testCa(commonName: string, options: { keyType?: 'ec' | 'rsa'; now?: Date; lifetimeDays?: number } = {}): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = options.keyType === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spkiDer = publicKey.export({ type: 'spki', format: 'der' });
  const { certPem } = selfSignedCaCertificate(commonName, privateKey, spkiDer, { now: options.now ?? new Date(), lifetimeDays: options.lifetimeDays ?? 30 });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export interface CertificateFacts {
  subjectCn: string | undefined;
  issuerCn: string | undefined;
  serialHex: string;
  signatureOid: string;
  notBefore: Date;
  notAfter: Date;
  basicConstraints: { critical: boolean; ca: boolean; pathLength: number | undefined } | undefined;
  keyUsage: { critical: boolean; usages: string[] } | undefined;
  extendedKeyUsage: string[] | undefined;
  subjectKeyId: string | undefined;
  authorityKeyId: string | undefined;
  /** RFC 5280 method 1, computed here: what subjectKeyId must be. */
  publicKeySha1: string;
}

function commonName(name: Name): string | undefined {
  for (const rdn of name) for (const attribute of rdn) if (attribute.type === '2.5.4.3') return attribute.value.toString();
  return undefined;
}

/** The fields of a certificate that the overlay's X.509 profiles decide, decoded independently of the encoder. */
export function certificateFacts(certPem: string): CertificateFacts {
  const certificate = AsnConvert.parse(fromPem(certPem, 'CERTIFICATE'), Certificate);
  const tbs = certificate.tbsCertificate;
  const find = (oid: string) => tbs.extensions?.find((e) => e.extnID === oid);
  const parse = <T>(oid: string, type: new () => T) => {
    const extension = find(oid);
    return extension ? { critical: extension.critical, value: AsnConvert.parse(extension.extnValue, type) } : undefined;
  };
  const bc = parse(id_ce_basicConstraints, BasicConstraints);
  const ku = parse(id_ce_keyUsage, KeyUsage);
  const ski = parse(id_ce_subjectKeyIdentifier, SubjectKeyIdentifier);
  const aki = parse(id_ce_authorityKeyIdentifier, AuthorityKeyIdentifier);
  const hex = (bytes: ArrayBuffer | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : undefined);
  return {
    subjectCn: commonName(tbs.subject),
    issuerCn: commonName(tbs.issuer),
    serialHex: Buffer.from(tbs.serialNumber).toString('hex'),
    signatureOid: certificate.signatureAlgorithm.algorithm,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    basicConstraints: bc && { critical: bc.critical, ca: bc.value.cA, pathLength: bc.value.pathLenConstraint },
    keyUsage: ku && { critical: ku.critical, usages: ku.value.toJSON().sort() },
    extendedKeyUsage: parse(id_ce_extKeyUsage, ExtendedKeyUsage)?.value.map(String),
    subjectKeyId: hex(ski?.value.buffer),
    authorityKeyId: hex(aki?.value.keyIdentifier?.buffer),
    publicKeySha1: createHash('sha1').update(Buffer.from(tbs.subjectPublicKeyInfo.subjectPublicKey)).digest('hex'),
  };
}
