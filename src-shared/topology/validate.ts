// Validates any JSON value as a topology and reports every problem with its path; never throws.
import type { z } from 'zod';
import { networkOf, parseCidr, parseIpv4, parsePrefix } from '../net/ipv4.ts';
import { OVERLAY_PREFIX_LENGTH } from '../plan/planConstants.ts';
import type { Root, Topology, Tunnel } from './schemas.ts';
import { CidrSchema, Ipv4Schema, RootIdSchema, RootSchema, RootShapeSchema, TopologySchema, TunnelSchema } from './schemas.ts';
import { internetAddressRefusal, overlayRefusal } from './addressRules.ts';
import { tunnelName } from '../plan/nodeNames.ts';
import { describe, zodProblems } from '../validation/zodProblems.ts';
import type { Problem } from '../validation/zodProblems.ts';

export type ValidationResult = { ok: true; topology: Topology } | { ok: false; problems: Problem[] };

/**
 * Checks each part on its own, so that no problem hides another: the top level (`roots`, `tunnels`,
 * unknown fields), each root and each tunnel with the zod schemas, then the rules across entries on
 * whatever parsed. A duplicate is reported at the later entry and names the earlier one.
 */
export function validateTopology(input: unknown): ValidationResult {
  const top = TopologySchema.safeParse(input, { reportInput: true });
  const problems: Problem[] = top.success ? [] : zodProblems(top.error, 'topology', '');
  // When the top level is wrong, each part that is right on its own is still checked.
  const parts = top.success
    ? top.data
    : { roots: fieldIfValid(input, 'roots', TopologySchema.shape.roots), tunnels: fieldIfValid(input, 'tunnels', TopologySchema.shape.tunnels) };
  const rawRoots = parts.roots;
  const rawTunnels = parts.tunnels ?? [];
  const roots = checkRoots(rawRoots ?? [], problems);
  checkRootsAcross(rawRoots ?? [], problems);
  // Without a list of roots no tunnel end can be said to be missing.
  const knownIds = rawRoots && new Set(rawRoots.map((r) => fieldIfValid(r, 'id', RootIdSchema)).filter((id) => id !== undefined));
  const tunnels = checkTunnels(rawTunnels, knownIds, rootWordsById(rawRoots ?? []), problems);
  if (problems.length > 0) return { ok: false, problems: sortByEntry(problems) };
  return { ok: true, topology: { roots, tunnels } };
}

/** Each root on its own: its structure, then why an address written right cannot be used. */
function checkRoots(rawRoots: readonly unknown[], problems: Problem[]): Root[] {
  const roots: Root[] = [];
  rawRoots.forEach((raw, index) => {
    const path = `roots[${index}]`;
    const parsed = RootShapeSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) problems.push(...zodProblems(parsed.error, path, path));
    // Whatever else is wrong with the root, an address written right but unusable is reported too.
    const written = parsed.success
      ? parsed.data
      : { internetAddress: fieldIfValid(raw, 'internetAddress', Ipv4Schema), overlay: fieldIfValid(raw, 'overlay', CidrSchema) };
    const refused = addressRefusals(written.internetAddress, written.overlay, path);
    problems.push(...refused);
    if (parsed.success && refused.length === 0) roots.push(parsed.data);
  });
  return roots;
}

/** Why an internet address or overlay written right cannot be used, at its path. */
function addressRefusals(address: string | undefined, overlay: string | undefined, path: string): Problem[] {
  const refusals = [
    { field: 'internetAddress', message: address === undefined ? undefined : internetAddressRefusal(parseIpv4(address)!) },
    { field: 'overlay', message: overlay === undefined ? undefined : overlayRefusal(parseCidr(overlay)!) },
  ];
  return refusals.flatMap(({ field, message }) => (message === undefined ? [] : [{ path: `${path}.${field}`, message }]));
}

/**
 * Each tunnel: its structure, distinct ends, ends that exist (when the roots are known), each pair once. `rootWords`
 * names an end in words (`root 2 (aws-west)`).
 */
function checkTunnels(rawTunnels: readonly unknown[], knownIds: ReadonlySet<number> | undefined, rootWords: (id: number) => string, problems: Problem[]): Tunnel[] {
  const tunnels: Tunnel[] = [];
  const seenPairs = new Map<string, number>();
  rawTunnels.forEach((raw, index) => {
    const path = `tunnels[${index}]`;
    const parsed = TunnelSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, path, path));
      return;
    }
    const { a, b } = parsed.data;
    let ok = true;
    if (a === b) {
      problems.push({ path, message: `joins ${rootWords(a)} to itself; a tunnel joins two distinct roots` });
      ok = false;
    }
    for (const [field, id] of [['a', a], ['b', b]] as const) {
      if (knownIds && !knownIds.has(id)) {
        problems.push({ path: `${path}.${field}`, message: `root ${id} does not exist` });
        ok = false;
      }
    }
    const key = tunnelName(a, b);
    const earlier = seenPairs.get(key);
    if (earlier !== undefined && a !== b) {
      problems.push({ path, message: `there is already a tunnel between ${rootWords(a)} and ${rootWords(b)}` });
      ok = false;
    } else if (a !== b) seenPairs.set(key, index);
    if (ok) tunnels.push(parsed.data);
  });
  return tunnels;
}

/** Orders problems by section and entry index (stable), so each entry's problems read together. */
function sortByEntry(problems: Problem[]): Problem[] {
  const key = (path: string) => {
    const m = /^(roots|tunnels)\[(\d+)\]/.exec(path);
    return m ? (m[1] === 'roots' ? 0 : 1e12) + Number(m[2]) : -1;
  };
  return problems.map((p, i) => ({ p, i, k: key(p.path) })).sort((x, y) => x.k - y.k || x.i - y.i).map((x) => x.p);
}

/**
 * A root in words, as an administrator knows it: `root 2 (aws-west)`, or as much of that as is valid, or else where it is
 * listed. Messages never hold paths (`roots[1]`): the editor shows them beside a field, and the path is the problem's own.
 */
function rootWords(raw: unknown, index: number): string {
  const id = fieldIfValid(raw, 'id', RootIdSchema);
  const name = fieldIfValid(raw, 'name', RootSchema.shape.name);
  if (id !== undefined) return name === undefined ? `root ${id}` : `root ${id} (${name})`;
  return name === undefined ? `root number ${index + 1} in the list` : `the root named ${JSON.stringify(name)}`;
}

/** Tunnel ends in words: the first root listed with that id, or just the id when no root has it. */
function rootWordsById(rawRoots: readonly unknown[]): (id: number) => string {
  const words = new Map<number, string>();
  rawRoots.forEach((raw, index) => {
    const id = fieldIfValid(raw, 'id', RootIdSchema);
    if (id !== undefined && !words.has(id)) words.set(id, rootWords(raw, index));
  });
  return (id) => words.get(id) ?? `root ${id}`;
}

/** Rules across roots: unique id, name and internet address; overlays disjoint; no internet address inside an overlay. */
function checkRootsAcross(rawRoots: readonly unknown[], problems: Problem[]): void {
  const label = (index: number) => rootWords(rawRoots[index], index);
  for (const field of ['id', 'name', 'internetAddress'] as const) {
    const firstAt = new Map<unknown, number>();
    rawRoots.forEach((raw, index) => {
      const value = fieldIfValid<unknown>(raw, field, RootSchema.shape[field]);
      if (value === undefined) return;
      const earlier = firstAt.get(value);
      if (earlier === undefined) firstAt.set(value, index);
      else problems.push({ path: `roots[${index}].${field}`, message: `${describe(value)} is already used by ${label(earlier)}` });
    });
  }
  // Every overlay that passed its schema is a whole /16, so two overlap only when they are the same block, and an
  // address lies in an overlay only when its /16 is that block: one lookup each instead of a scan of all overlays.
  const overlays = new Map<number, { index: number; text: string }>();
  rawRoots.forEach((raw, index) => {
    const text = fieldIfValid(raw, 'overlay', RootSchema.shape.overlay);
    if (text === undefined) return;
    const base = parsePrefix(text)!.base;
    const clash = overlays.get(base);
    if (clash) problems.push({ path: `roots[${index}].overlay`, message: `${text} overlaps the overlay of ${label(clash.index)}` });
    else overlays.set(base, { index, text });
  });
  rawRoots.forEach((raw, index) => {
    const address = fieldIfValid(raw, 'internetAddress', RootSchema.shape.internetAddress);
    if (address === undefined) return;
    const inside = overlays.get(networkOf({ address: parseIpv4(address)!, length: OVERLAY_PREFIX_LENGTH }));
    if (inside) {
      const whose = inside.index === index ? "this root's own overlay" : `the overlay of ${label(inside.index)}`;
      problems.push({
        path: `roots[${index}].internetAddress`,
        message: `${address} lies inside ${inside.text}, ${whose}; an internet address must be outside every overlay`,
      });
    }
  });
}

/** The field's value when `raw` is an object whose field passes its own schema, else undefined. */
function fieldIfValid<T>(raw: unknown, field: string, schema: z.ZodType<T, unknown>): T | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const parsed = schema.safeParse((raw as Record<string, unknown>)[field]);
  return parsed.success ? parsed.data : undefined;
}
