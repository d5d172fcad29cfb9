// The overlay's key material as plain data: what the PKI produces and the configuration renderers consume.
import type { IssuedCertificate } from '../../../src-node/x509/signCsr.ts';

export type KeyType = 'ecdsa-p256' | 'rsa-2048';

/** A certificate with its private key, both PEM. `serial` is the certificate's serial in lowercase hex. */
export interface CertifiedKey extends IssuedCertificate {
  keyPem: string;
}

/** A certificate authority: its certificate and key, and the serials it has revoked (its CRL lists them). */
export interface CaMaterial extends CertifiedKey {
  revokedSerials: string[];
  crlPem: string;
}

/**
 * Per root: the OpenVPN CA of its cloud, the server certificate of its uplink server, and a key for each purpose, so that
 * no client VM holds the key that guards the backbone: the uplink's (root and leaves only) and the client servers' (its
 * leaves'). Client servers share theirs across the cloud because a client profile lists every leaf of its root to fail over.
 */
export interface RootKeys {
  openvpnCa: CaMaterial;
  uplinkServer: CertifiedKey;
  /** tls-crypt static key text (`-----BEGIN OpenVPN Static key V1-----` …) of the root's uplink server and its leaves' uplink clients. */
  uplinkTlsCrypt: string;
  /** tls-crypt static key of the cloud's client servers on VyOS (which has no tls-crypt-v2) and of client profiles for them. */
  clientTlsCrypt: string;
  /** tls-crypt-v2 server key of the cloud's client servers on the linux backend (OpenVPN 2.5+): every client's own key is wrapped under it. */
  clientTlsCryptV2: string;
}

/** Per leaf (`leaf-<root>-<n>`): its server certificate for client VMs and its client certificate for the uplink to its root. */
export interface LeafKeys {
  clientServer: CertifiedKey;
  uplinkClient: CertifiedKey;
}

/** A client VM's certificate, signed by its root's OpenVPN CA, and its own tls-crypt-v2 key (wrapped under its root's clientTlsCryptV2). */
export interface ClientKeys extends CertifiedKey {
  rootId: number;
  tlsCryptV2: string;
}

/** Everything the overlay needs, keyed by node and tunnel names from the address plan. */
export interface OverlayKeys {
  version: 2;
  keyType: KeyType;
  /** The control CA: agents' mutual TLS, pinned by the application. */
  controlCa: CaMaterial;
  /** By root id (as a string key, JSON-friendly). */
  roots: Record<string, RootKeys>;
  /** By leaf node name. */
  leaves: Record<string, LeafKeys>;
  /** By tunnel name (`tunnel-<a>-<b>`): the 60-character pre-shared key. */
  tunnels: Record<string, { psk: string }>;
  /** By client name (`client-<root>-<n>`). */
  clients: Record<string, ClientKeys>;
}
