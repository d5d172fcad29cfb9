// What a node needs to enroll client VMs, read from its own part of the deployed package.
//
// The application puts these files in each node's part (the renderers own the profile text):
//   root:  enrollment/ca.crt                 its cloud's OpenVPN CA certificate
//          enrollment/ca.key                 that CA's key, as a sealed secret (it never travels in the clear)
//          enrollment/leaves/<leaf>.ovpn     the client profile for each of its leaves
//   leaf:  enrollment/client.ovpn            the client profile for itself
// A profile is complete but for the client's certificate: `{{client-certificate}}` marks where it goes (inside
// <cert>…</cert>); the client's key stays on the VM, in the file the profile names.
import { issuerFromCa, type Issuer } from '../../src-node/x509/issuer.ts';
import type { FileSnapshot } from '../backends/types.ts';

export const ENROLLMENT_FILES = {
  caCert: 'enrollment/ca.crt',
  caKey: 'enrollment/ca.key',
  leafProfiles: 'enrollment/leaves/',
  ownProfile: 'enrollment/client.ovpn',
} as const;
export const CERTIFICATE_PLACEHOLDER = '{{client-certificate}}';

export type EnrollmentMaterial =
  /** `ca`: the cloud's OpenVPN CA, read (and its key checked against its certificate) once per deploy. */
  | { role: 'root'; ca: Issuer; leafProfiles: Map<string, string> }
  | { role: 'leaf'; profile: string };

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
  if (role === 'leaf') return { role, profile: checked(ENROLLMENT_FILES.ownProfile) };
  const leafProfiles = new Map<string, string>();
  for (const path of Object.keys(files).sort()) {
    const leaf = path.startsWith(ENROLLMENT_FILES.leafProfiles) ? /^([a-z0-9-]+)\.ovpn$/.exec(path.slice(ENROLLMENT_FILES.leafProfiles.length))?.[1] : undefined;
    if (leaf !== undefined) leafProfiles.set(leaf, checked(path));
  }
  if (leafProfiles.size === 0) throw new Error(`the deployed part has no client profiles under ${ENROLLMENT_FILES.leafProfiles}`);
  return { role, ca: issuerFromCa({ certPem: text(ENROLLMENT_FILES.caCert), keyPem: text(ENROLLMENT_FILES.caKey) }), leafProfiles };
}

/** The profile with the client's certificate in its place. */
export function completeProfile(profile: string, certificatePem: string): string {
  return profile.split(CERTIFICATE_PLACEHOLDER).join(certificatePem.trim());
}
