// The control-CA certificates of the overlay's nodes, learned from the messages that carry them: whose key signs as whom.
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { certificateCommonName } from './certificateNames.ts';

export interface NodeCertificates {
  /** Checks `pem` against the control CA and remembers it under its node name; returns that name, or why it was refused. */
  learn(pem: string): { node: string } | { refused: string };
  publicKeyOf(node: string): KeyObject | undefined;
  certificateOf(node: string): string | undefined;
  readonly size: number;
}

// Far more nodes than an overlay has (roots × leaves); only the control CA can mint names, so this is a safety net.
const MAX_NODES = 100_000;

export function createNodeCertificates(ca: X509Certificate, now: () => number): NodeCertificates {
  const known = new Map<string, { pem: string; publicKey: KeyObject; validTo: number }>();
  return {
    learn(pem) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem);
      } catch {
        return { refused: 'the origin certificate is not a readable PEM certificate' };
      }
      const node = certificateCommonName(cert);
      if (node === undefined || parseNodeName(node) === undefined) return { refused: 'the origin certificate names no node' };
      const stored = known.get(node);
      const t = now();
      if (stored?.pem === pem && stored.validTo > t) return { node };
      if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return { refused: `the certificate of ${node} is not issued by the control CA` };
      const validTo = Date.parse(cert.validTo);
      if (Date.parse(cert.validFrom) > t || validTo <= t) return { refused: `the certificate of ${node} is not valid now` };
      if (!known.has(node) && known.size >= MAX_NODES) return { refused: 'too many nodes' };
      known.set(node, { pem, publicKey: cert.publicKey, validTo });
      return { node };
    },
    publicKeyOf: (node) => known.get(node)?.publicKey,
    certificateOf: (node) => known.get(node)?.pem,
    get size() {
      return known.size;
    },
  };
}
