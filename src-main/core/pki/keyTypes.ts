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

/** Per root: the OpenVPN CA of its cloud, the server certificate of its uplink server, a tls-crypt key for its cloud. */
export interface RootKeys {
  openvpnCa: CaMaterial;
  uplinkServer: CertifiedKey;
  /** OpenVPN static key text (`-----BEGIN OpenVPN Static key V1-----` …), shared by that cloud's OpenVPN servers and clients. */
  tlsCrypt: string;
}

/** Per leaf (`leaf-<root>-<n>`): its server certificate for client VMs and its client certificate for the uplink to its root. */
export interface LeafKeys {
  clientServer: CertifiedKey;
  uplinkClient: CertifiedKey;
}

/** A client VM's certificate, signed by its root's OpenVPN CA. */
export interface ClientKeys extends CertifiedKey {
  rootId: number;
}

/** Everything the overlay needs, keyed by node and tunnel names from the address plan. */
export interface OverlayKeys {
  version: 1;
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
