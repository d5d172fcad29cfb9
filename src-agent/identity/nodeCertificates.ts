// The control-CA certificates of the overlay's nodes, learned from the messages that carry them: whose key signs as whom.
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { certificateCommonName } from '../../src-node/x509/names.ts';

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
  // Every flooded message carries its origin's certificate: the ones already checked are recognised by their text,
  // without parsing X.509 again (that parse and check cost more than the message's own signature check).
  const nodeByPem = new Map<string, string>();
  return {
    learn(pem) {
      const seen = nodeByPem.get(pem);
      const current = seen === undefined ? undefined : known.get(seen);
      if (current?.pem === pem && current.validTo > now()) return { node: seen! };
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
      if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return { refused: `the certificate of ${node} is not issued by the control CA` };
      const validTo = Date.parse(cert.validTo);
      if (Date.parse(cert.validFrom) > t || validTo <= t) return { refused: `the certificate of ${node} is not valid now` };
      if (!known.has(node) && known.size >= MAX_NODES) return { refused: 'too many nodes' };
      if (stored) nodeByPem.delete(stored.pem);
      known.set(node, { pem, publicKey: cert.publicKey, validTo });
      nodeByPem.set(pem, node);
      return { node };
    },
    publicKeyOf: (node) => known.get(node)?.publicKey,
    certificateOf: (node) => known.get(node)?.pem,
    get size() {
      return known.size;
    },
  };
}
