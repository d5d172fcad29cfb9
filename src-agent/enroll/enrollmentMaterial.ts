// What a node needs to enroll client VMs, read from its own part of the deployed package (the layout and placeholders:
// src-shared/protocol/enrollmentFiles.ts), and a template completed for one client.
import { generateTlsCryptV2ClientKey, tlsCryptV2ServerKeys } from '../../src-node/openvpn/tlsCryptV2.ts';
import { issuerFromCa, type Issuer } from '../../src-node/x509/issuer.ts';
import { CERTIFICATE_PLACEHOLDER, ENROLLMENT_FILES, TLS_CRYPT_V2_PLACEHOLDER } from '../../src-shared/protocol/enrollmentFiles.ts';
import type { FileSnapshot } from '../backends/types.ts';

/** `tlsCryptV2ServerKey`: present where a template asks for a tls-crypt-v2 client key. */
export type EnrollmentMaterial =
  /** `ca`: the cloud's OpenVPN CA, read (and its key checked against its certificate) once per deploy. */
  | { role: 'root'; ca: Issuer; leafProfiles: Map<string, string>; tlsCryptV2ServerKey: string | undefined }
  | { role: 'leaf'; profile: string; tlsCryptV2ServerKey: string | undefined };

/** The material in a node's resolved files; throws with what is missing. */
export function readEnrollmentMaterial(files: FileSnapshot, role: 'root' | 'leaf'): EnrollmentMaterial {
  const text = (path: string) => {
    const file = files[path];
    if (file === undefined) throw new Error(`the deployed part has no ${path}`);
    return file.content;
  };
  const checked = (path: string) => {
    const profile = text(path);
    if (!profile.includes(CERTIFICATE_PLACEHOLDER)) throw new Error(`${path} has no ${CERTIFICATE_PLACEHOLDER} placeholder`);
    return profile;
  };
  /** The server key, read (and checked) only where a template asks for client keys made under it. */
  const serverKey = (profiles: readonly string[]) => {
    if (!profiles.some((p) => p.includes(TLS_CRYPT_V2_PLACEHOLDER))) return undefined;
    const key = text(ENROLLMENT_FILES.tlsCryptV2ServerKey);
    tlsCryptV2ServerKeys(key);
    return key;
  };
  if (role === 'leaf') {
    const profile = checked(ENROLLMENT_FILES.ownProfile);
    return { role, profile, tlsCryptV2ServerKey: serverKey([profile]) };
  }
  const leafProfiles = new Map<string, string>();
  for (const path of Object.keys(files).sort()) {
    const leaf = path.startsWith(ENROLLMENT_FILES.leafProfiles) ? /^([a-z0-9-]+)\.ovpn$/.exec(path.slice(ENROLLMENT_FILES.leafProfiles.length))?.[1] : undefined;
    if (leaf !== undefined) leafProfiles.set(leaf, checked(path));
  }
  if (leafProfiles.size === 0) throw new Error(`the deployed part has no client profiles under ${ENROLLMENT_FILES.leafProfiles}`);
  const ca = issuerFromCa({ certPem: text(ENROLLMENT_FILES.caCert), keyPem: text(ENROLLMENT_FILES.caKey) });
  return { role, ca, leafProfiles, tlsCryptV2ServerKey: serverKey([...leafProfiles.values()]) };
}

/**
 * The profile with the client's certificate in its place and, where the template asks for one, a tls-crypt-v2 client
 * key of its own, made at `now` under the node's server key (readEnrollmentMaterial made sure there is one).
 */
export function completeProfile(profile: string, certificatePem: string, tlsCryptV2ServerKey: string | undefined, now: Date): string {
  const certified = profile.split(CERTIFICATE_PLACEHOLDER).join(certificatePem.trim());
  if (!certified.includes(TLS_CRYPT_V2_PLACEHOLDER)) return certified;
  if (tlsCryptV2ServerKey === undefined) throw new Error(`the profile asks for a tls-crypt-v2 client key and there is no server key`);
  return certified.split(TLS_CRYPT_V2_PLACEHOLDER).join(generateTlsCryptV2ClientKey(tlsCryptV2ServerKey, { now }).trim());
}
