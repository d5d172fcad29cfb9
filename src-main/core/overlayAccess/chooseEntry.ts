// The overlay as reached through another of its roots: an administrator may log in at any root, named (`root-2`) or by
// its agent's address (`https://198.51.100.7:7443`, or `198.51.100.7:7443`). Pure.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';

export type ChosenEntry = { ok: true; access: OverlayAccess } | { ok: false; message: string };

export function chooseEntry(access: OverlayAccess, entry: string): ChosenEntry {
  const roots = Object.keys(access.nodes).filter((node) => node.startsWith('root-'));
  const url = /^https:\/\//.test(entry) ? entry : `https://${entry}`;
  const root = roots.find((node) => node === entry || access.nodes[node]!.url === url.replace(/\/$/, ''));
  if (root === undefined) {
    const known = roots.map((node) => `${node} (${access.nodes[node]!.url})`).join(', ');
    return { ok: false, message: `${JSON.stringify(entry)} is not a root of overlay ${access.name}: its roots are ${known}` };
  }
  return { ok: true, access: { ...access, entry: root } };
}
