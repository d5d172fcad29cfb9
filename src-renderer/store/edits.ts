// Pure edits of a topology as the editor makes them; each returns a new candidate for `topology.save`, which validates it.
import type { Root, Topology, Tunnel } from '../../src-shared/topology/schemas.ts';
import { parsePrefix, prefixesOverlap } from '../../src-shared/net/ipv4.ts';

/**
 * A root as the form holds it: values may be anything the administrator typed (a name of 70
 * characters, "abc" for max clients), so validation can say exactly what is wrong with them.
 */
export type DraftRoot = Omit<Root, 'maxClients'> & { maxClients: number | string };

export function replaceRoot(topology: Topology, index: number, root: DraftRoot): unknown {
  return { ...topology, roots: topology.roots.map((r, i) => (i === index ? root : r)) };
}

export function appendRoot(topology: Topology, root: DraftRoot): unknown {
  return { ...topology, roots: [...topology.roots, root] };
}

/** Removes the root and every tunnel that ends at it (a tunnel to nothing would be refused). */
export function deleteRoot(topology: Topology, id: number): Topology {
  return { roots: topology.roots.filter((r) => r.id !== id), tunnels: topology.tunnels.filter((t) => t.a !== id && t.b !== id) };
}

export function tunnelsOf(topology: Topology, id: number): Tunnel[] {
  return topology.tunnels.filter((t) => t.a === id || t.b === id);
}

export function addTunnel(topology: Topology, a: number, b: number): unknown {
  return { ...topology, tunnels: [...topology.tunnels, { a, b }] };
}

/** Tunnels are unordered: a–b and b–a are the same tunnel. */
export function deleteTunnel(topology: Topology, a: number, b: number): Topology {
  return { ...topology, tunnels: topology.tunnels.filter((t) => !((t.a === a && t.b === b) || (t.a === b && t.b === a))) };
}

export function moveRoot(topology: Topology, id: number, position: { x: number; y: number }): Topology {
  const rounded = { x: Math.round(position.x), y: Math.round(position.y) };
  return { ...topology, roots: topology.roots.map((r) => (r.id === id ? { ...r, position: rounded } : r)) };
}

/** What the "add root" form starts from: the next id and the first 10.x.0.0/16 no root uses. Name and address are the administrator's. */
export function suggestRoot(topology: Topology): DraftRoot {
  const id = Math.max(0, ...topology.roots.map((r) => r.id)) + 1;
  const taken = topology.roots.map((r) => parsePrefix(r.overlay)).filter((p) => p !== undefined);
  let overlay = '';
  for (let second = 1; second < 256 && overlay === ''; second++) {
    const candidate = parsePrefix(`10.${second}.0.0/16`)!;
    if (!taken.some((p) => prefixesOverlap(p, candidate))) overlay = `10.${second}.0.0/16`;
  }
  const right = Math.max(-260, ...topology.roots.map((r) => r.position?.x ?? 0));
  return { id, name: '', internetAddress: '', overlay, maxClients: 100, position: { x: right + 260, y: 0 }, cloud: { provider: 'existing' } };
}

/** A number when the text is one, else the text itself, so that validation reports what was typed. */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}
