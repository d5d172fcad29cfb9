// Whether a root's internet address and overlay can be used and, when not, why in words; the schemas refuse exactly what these refuse.
import { formatIpv4, formatPrefix, networkOf } from '../net/ipv4.ts';
import type { Cidr } from '../net/ipv4.ts';
import { specialRangeOf } from '../net/specialRanges.ts';
import { OVERLAY_PREFIX_LENGTH } from '../plan/planConstants.ts';

/** `127.0.0.1 is a loopback address, which no other machine can reach`; undefined for an address an internet host can have. */
export function internetAddressRefusal(address: number): string | undefined {
  const special = specialRangeOf(address);
  return special && `${formatIpv4(address)} is ${special.one}, ${special.why}`;
}

/**
 * Why `a.b.c.d/n` cannot be an overlay, naming the /16 it probably meant; undefined for a usable `a.b.0.0/16`.
 * A /16 in a special range is refused with that range's reason, since no /16 near it would do.
 */
export function overlayRefusal(cidr: Cidr): string | undefined {
  const meant = { base: networkOf({ address: cidr.address, length: OVERLAY_PREFIX_LENGTH }), length: OVERLAY_PREFIX_LENGTH };
  const special = specialRangeOf(meant.base);
  if (!special && cidr.length === OVERLAY_PREFIX_LENGTH && cidr.address === meant.base) return undefined;
  const written = `${formatIpv4(cidr.address)}/${cidr.length}`;
  if (special) return `${written} holds ${special.many}, ${special.why}`;
  const hint = `did you mean ${formatPrefix(meant)}?`;
  if (cidr.length !== OVERLAY_PREFIX_LENGTH) return `${written} is a /${cidr.length}; an overlay is a /${OVERLAY_PREFIX_LENGTH}: ${hint}`;
  return `${written} is not where a /${OVERLAY_PREFIX_LENGTH} starts: ${hint}`;
}
