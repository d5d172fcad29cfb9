// The keys a deploy makes, as a plan lists them: what the new key material holds that the kept one did not.
import { renewedCertificates } from '../pki/certificateRenewal.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { count } from '../../../src-shared/text/count.ts';

/** One line per node or tunnel that gets new keys (or a CRL with new revocations), in the order of `keys`, then the certificates renewed. */
export function keysToMake(previous: OverlayKeys | undefined, keys: OverlayKeys): string[] {
  const lines: string[] = [];
  for (const [id, root] of Object.entries(keys.roots)) {
    const before = previous?.roots[id];
    if (before?.openvpnCa.serial !== root.openvpnCa.serial) lines.push(`root-${id}: its cloud's OpenVPN CA, uplink server certificate and tls-crypt key`);
    else {
      const revoked = root.openvpnCa.revokedSerials.length - before.openvpnCa.revokedSerials.length;
      if (revoked > 0) lines.push(`root-${id}: a CRL revoking ${count(revoked, 'more certificate')}`);
    }
  }
  const renewed = renewedCertificates(previous, keys);
  const renewing = new Set(renewed.map((r) => r.holder));
  for (const [name, leaf] of Object.entries(keys.leaves)) {
    if (previous?.leaves[name]?.clientServer.serial !== leaf.clientServer.serial && !renewing.has(name)) lines.push(`${name}: client-server and uplink certificates`);
  }
  for (const r of renewed) lines.push(`${r.holder}: ${r.role} certificate renewed (the one it replaces expires ${r.replacedNotAfter.toISOString().slice(0, 10)})`);
  for (const [name, tunnel] of Object.entries(keys.tunnels)) {
    if (previous?.tunnels[name]?.psk !== tunnel.psk) lines.push(`${name}: pre-shared key`);
  }
  return lines;
}
