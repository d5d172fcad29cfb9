// Node names from certificates: the control CA certifies each agent under its node name as the common name.
import type { X509Certificate } from 'node:crypto';

/** The common name of a certificate's subject, or undefined when it has none (or several). */
export function certificateCommonName(cert: X509Certificate): string | undefined {
  const names = cert.subject.split('\n').filter((line) => line.startsWith('CN='));
  return names.length === 1 ? names[0]!.slice(3) : undefined;
}
