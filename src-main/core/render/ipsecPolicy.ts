// The overlay's one IPsec policy (IKEv2, AES-256-GCM, ECP groups, lifetimes, DPD) and its spelling for VyOS and strongSwan.

export interface IkeProposal {
  /** VyOS spelling; 128 is the ICV in bits. */
  encryption: 'aes256gcm128';
  hash: 'sha256' | 'sha384';
  prf: 'prfsha256' | 'prfsha384';
  dhGroup: 19 | 20;
}

export interface EspProposal {
  encryption: 'aes256gcm128';
  hash: 'sha256';
}

export const IKE_PROPOSALS: readonly IkeProposal[] = [
  { encryption: 'aes256gcm128', hash: 'sha256', prf: 'prfsha256', dhGroup: 19 },
  { encryption: 'aes256gcm128', hash: 'sha384', prf: 'prfsha384', dhGroup: 20 },
];
export const ESP_PROPOSALS: readonly EspProposal[] = [{ encryption: 'aes256gcm128', hash: 'sha256' }];
/** Perfect forward secrecy for every CHILD_SA rekey. */
export const ESP_PFS_GROUP = 19;
export const IKE_LIFETIME_SECONDS = 28_800;
export const ESP_LIFETIME_SECONDS = 3_600;
export const DPD_INTERVAL_SECONDS = 30;
export const DPD_TIMEOUT_SECONDS = 120;

/**
 * How one end of a root tunnel starts and keeps it. Both ends start it as soon as they load their configuration: the
 * roots apply a deploy at different moments, and a peer without the tunnel configured yet answers NO_PROPOSAL_CHOSEN,
 * a permanent error strongSwan does not retry, so only the end that loads last is sure to find its peer ready. After
 * that the lower root id (the tunnel's `a`) keeps the tunnel up; the other end lets it go when the peer stops answering,
 * so that the two do not both rebuild it at once.
 */
export interface TunnelEndRole {
  /** Retry a peer that does not answer until it does (strongSwan keyingtries = 0). */
  retriesForever: boolean;
  /** On a dead peer: build the tunnel again, or just drop it. */
  dpdAction: 'restart' | 'clear';
}

export function tunnelEndRole(keepsTunnelUp: boolean): TunnelEndRole {
  return keepsTunnelUp ? { retriesForever: true, dpdAction: 'restart' } : { retriesForever: false, dpdAction: 'clear' };
}

const ECP: Record<number, string> = { 19: 'ecp256', 20: 'ecp384' };
/** strongSwan names GCM by its ICV in bytes: VyOS's aes256gcm128 is aes256gcm16. */
const STRONGSWAN_CIPHER: Record<string, string> = { aes256gcm128: 'aes256gcm16' };

function ecp(group: number): string {
  const name = ECP[group];
  if (!name) throw new Error(`DH group ${group} has no strongSwan name here`);
  return name;
}

function cipher(vyos: string): string {
  const name = STRONGSWAN_CIPHER[vyos];
  if (!name) throw new Error(`cipher ${vyos} has no strongSwan name here`);
  return name;
}

/** swanctl `proposals`: AEAD proposals name the PRF and the DH group (integrity is implied). */
export function swanctlIkeProposals(): string {
  return IKE_PROPOSALS.map((p) => `${cipher(p.encryption)}-${p.prf}-${ecp(p.dhGroup)}`).join(', ');
}

/** swanctl `esp_proposals`, with the PFS group. */
export function swanctlEspProposals(): string {
  return ESP_PROPOSALS.map((p) => `${cipher(p.encryption)}-${ecp(ESP_PFS_GROUP)}`).join(', ');
}
