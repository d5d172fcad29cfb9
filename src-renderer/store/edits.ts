// What the editor works out before it asks main for a change: the form's draft root, the suggestion a new root starts from, a root's tunnels.
import type { Root, Topology, Tunnel } from '../../src-shared/topology/schemas.ts';
import { parsePrefix, prefixesOverlap } from '../../src-shared/net/ipv4.ts';

/**
 * A root as the form holds it: values may be anything the administrator typed (a name of 70
 * characters, "abc" for max clients), so validation can say exactly what is wrong with them.
 */
export type DraftRoot = Omit<Root, 'maxClients'> & { maxClients: number | string };

export function tunnelsOf(topology: Topology, id: number): Tunnel[] {
  return topology.tunnels.filter((t) => t.a === id || t.b === id);
}

/**
 * What the "add root" form starts from: the next id and the first 10.x.0.0/16 no root uses, counting `deleted` roots,
 * which keep their id and overlay until the deploy removes them. Name and address are the administrator's.
 */
export function suggestRoot(topology: Topology, deleted: readonly Root[] = []): DraftRoot {
  const roots = [...topology.roots, ...deleted];
  const id = Math.max(0, ...roots.map((r) => r.id)) + 1;
  const taken = roots.map((r) => parsePrefix(r.overlay)).filter((p) => p !== undefined);
  let overlay = '';
  for (let second = 1; second < 256 && overlay === ''; second++) {
    const candidate = parsePrefix(`10.${second}.0.0/16`)!;
    if (!taken.some((p) => prefixesOverlap(p, candidate))) overlay = `10.${second}.0.0/16`;
  }
  const right = Math.max(-260, ...roots.map((r) => r.position?.x ?? 0));
  return { id, name: '', internetAddress: '', overlay, maxClients: 100, position: { x: right + 260, y: 0 }, cloud: { provider: 'existing' } };
}

/** A number when the text is one, else the text itself, so that validation reports what was typed. */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}
