// Which of the overlay's end-entity certificates are about to expire, and which a new key set renewed: render and
// deploy re-issue those expiring within RENEW_WITHIN_DAYS rather than let a node's tunnel stop on the day it expires.
import { readCertificateFields } from '../../../src-node/x509/certificateReader.ts';
import { fromPem } from '../../../src-node/x509/pem.ts';
import { parseNodeName } from '../../../src-shared/plan/nodeNames.ts';
import type { CertifiedKey, OverlayKeys } from './keyTypes.ts';

/** OpenVPN refuses an expired certificate outright: renewing a month ahead leaves time for a deploy to reach every node. */
export const RENEW_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

/** Read from the DER (a third of what a full X509Certificate parse costs): every kept certificate is checked at each render. */
export function notAfter(certPem: string): Date {
  return readCertificateFields(fromPem(certPem, 'CERTIFICATE')).notAfter;
}

/** Whether the certificate is no longer valid `days` days after `now`. */
export function expiresWithin(certPem: string, now: Date, days: number): boolean {
  return notAfter(certPem).getTime() <= now.getTime() + days * DAY_MS;
}

interface HeldCertificate {
  /** The node or client holding it: `root-1`, `leaf-1-2`, `client-1-3`. */
  holder: string;
  /** The root whose OpenVPN CA signed it. */
  rootId: number | undefined;
  role: 'uplink server' | 'client server' | 'uplink client' | 'client';
  certified: CertifiedKey;
}

/** Every end-entity certificate of the overlay (the CAs' own are not among them), with who holds it for what. */
function heldCertificates(keys: OverlayKeys): HeldCertificate[] {
  return [
    ...Object.entries(keys.roots).map(([id, root]): HeldCertificate => ({ holder: `root-${id}`, rootId: Number(id), role: 'uplink server', certified: root.uplinkServer })),
    ...Object.entries(keys.leaves).flatMap(([name, leaf]): HeldCertificate[] => {
      const rootId = parseNodeName(name)?.rootId;
      return [
        { holder: name, rootId, role: 'client server', certified: leaf.clientServer },
        { holder: name, rootId, role: 'uplink client', certified: leaf.uplinkClient },
      ];
    }),
    ...Object.entries(keys.clients).map(([name, client]): HeldCertificate => ({ holder: name, rootId: client.rootId, role: 'client', certified: client })),
  ];
}

export interface Renewal {
  holder: string;
  role: HeldCertificate['role'];
  /** When the certificate it replaces expires. */
  replacedNotAfter: Date;
}

/**
 * The certificates `keys` holds anew for a holder and role that `previous` had, under the same CA: what ensureOverlayKeys
 * renewed (a new CA re-issues everything under it, which is no renewal; nor is a holder that is new).
 */
export function renewedCertificates(previous: OverlayKeys | undefined, keys: OverlayKeys): Renewal[] {
  if (!previous) return [];
  const before = new Map(heldCertificates(previous).map((h) => [`${h.holder}/${h.role}`, h.certified]));
  const sameCa = (rootId: number | undefined) => rootId !== undefined && previous.roots[rootId]?.openvpnCa.serial === keys.roots[rootId]?.openvpnCa.serial;
  return heldCertificates(keys).flatMap((h): Renewal[] => {
    const old = before.get(`${h.holder}/${h.role}`);
    if (!old || old.serial === h.certified.serial || !sameCa(h.rootId)) return [];
    return [{ holder: h.holder, role: h.role, replacedNotAfter: notAfter(old.certPem) }];
  });
}
