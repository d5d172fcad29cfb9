// Rotating a tunnel's pre-shared key, pure: the kept keys without that tunnel's key, so that the next deploy makes a new
// one, lists it under the keys to make and carries it to the tunnel's two roots, like any other change.
import { parseNodeName, tunnelName } from '../../../src-shared/plan/nodeNames.ts';
import type { Tunnel } from '../../../src-shared/topology/schemas.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';

/** A root as the command line names it: its id (`2`) or its node name (`root-2`); undefined for anything else. */
export function parseRootRef(text: string): number | undefined {
  if (/^[1-9]\d{0,9}$/.test(text)) return parseNodeName(`root-${text}`)?.rootId;
  const name = parseNodeName(text);
  return name?.role === 'root' ? name.rootId : undefined;
}

export type PskRotation =
  /** `keys` lack the tunnel's key; `alreadyMarked` when they lacked it before (a rotation not deployed yet). */
  | { ok: true; tunnel: string; keys: OverlayKeys; alreadyMarked: boolean }
  | { ok: false; reason: string };

/**
 * Drops tunnel a–b's pre-shared key from `keys`. Only a tunnel of the deployed topology is rotated: any other either does
 * not run (nothing to rotate) or gets a fresh key at its first deploy anyway.
 */
export function markPskForRotation(keys: OverlayKeys, deployedTunnels: readonly Tunnel[], a: number, b: number): PskRotation {
  if (a === b) return { ok: false, reason: `a tunnel joins two different roots; root-${a} was named twice` };
  const tunnel = tunnelName(a, b);
  if (!deployedTunnels.some((t) => tunnelName(t.a, t.b) === tunnel)) {
    const deployed = deployedTunnels.map((t) => tunnelName(t.a, t.b));
    return { ok: false, reason: `the deployed topology has no tunnel between root-${Math.min(a, b)} and root-${Math.max(a, b)} (its tunnels: ${deployed.join(', ') || 'none'})` };
  }
  const { [tunnel]: kept, ...others } = keys.tunnels;
  return { ok: true, tunnel, keys: { ...keys, tunnels: others }, alreadyMarked: kept === undefined };
}
