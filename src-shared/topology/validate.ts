// Validates any JSON value as a topology and reports every problem with its path; never throws.
import type { z } from 'zod';
import { parseIpv4, parsePrefix, prefixContains, prefixesOverlap } from '../net/ipv4.ts';
import type { Prefix } from '../net/ipv4.ts';
import type { Root, Topology, Tunnel } from './schemas.ts';
import { RootIdSchema, RootSchema, TopologySchema, TunnelSchema } from './schemas.ts';
import { describe, zodProblems } from '../validation/zodProblems.ts';
import type { Problem } from '../validation/zodProblems.ts';

export type ValidationResult = { ok: true; topology: Topology } | { ok: false; problems: Problem[] };

/**
 * Checks the structure with the zod schemas entry by entry (so one bad root does not hide the others'
 * problems), then the rules across entries on whatever parsed. A duplicate is reported at the later
 * entry and names the earlier one.
 */
export function validateTopology(input: unknown): ValidationResult {
  const problems: Problem[] = [];
  const top = TopologySchema.safeParse(input, { reportInput: true });
  if (!top.success) {
    problems.push(...zodProblems(top.error, 'topology', ''));
    return { ok: false, problems };
  }
  const roots: Array<{ index: number; root: Root }> = [];
  top.data.roots.forEach((raw, index) => {
    const parsed = RootSchema.safeParse(raw, { reportInput: true });
    if (parsed.success) roots.push({ index, root: parsed.data });
    else problems.push(...zodProblems(parsed.error, `roots[${index}]`, `roots[${index}]`));
  });
  const rawRoots = top.data.roots;
  checkRootsAcross(rawRoots, problems);

  const tunnels: Tunnel[] = [];
  const tunnelsRaw = top.data.tunnels ?? [];
  const knownIds = new Set(rawRoots.map((r) => fieldIfValid(r, 'id', RootIdSchema)).filter((id) => id !== undefined));
  const seenPairs = new Map<string, number>();
  tunnelsRaw.forEach((raw, index) => {
    const path = `tunnels[${index}]`;
    const parsed = TunnelSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, path, path));
      return;
    }
    const { a, b } = parsed.data;
    let ok = true;
    if (a === b) {
      problems.push({ path, message: `joins root ${a} to itself; a tunnel joins two distinct roots` });
      ok = false;
    }
    for (const [field, id] of [['a', a], ['b', b]] as const) {
      if (!knownIds.has(id)) {
        problems.push({ path: `${path}.${field}`, message: `root ${id} does not exist` });
        ok = false;
      }
    }
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    const earlier = seenPairs.get(key);
    if (earlier !== undefined && a !== b) {
      problems.push({ path, message: `tunnel ${a}-${b} already exists at tunnels[${earlier}]` });
      ok = false;
    } else if (a !== b) seenPairs.set(key, index);
    if (ok) tunnels.push(parsed.data);
  });

  if (problems.length > 0) return { ok: false, problems: sortByEntry(problems) };
  return { ok: true, topology: { roots: roots.map((r) => r.root), tunnels } };
}

/** Orders problems by section and entry index (stable), so each entry's problems read together. */
function sortByEntry(problems: Problem[]): Problem[] {
  const key = (path: string) => {
    const m = /^(roots|tunnels)\[(\d+)\]/.exec(path);
    return m ? (m[1] === 'roots' ? 0 : 1e12) + Number(m[2]) : -1;
  };
  return problems.map((p, i) => ({ p, i, k: key(p.path) })).sort((x, y) => x.k - y.k || x.i - y.i).map((x) => x.p);
}

/** Rules across roots: unique id, name and internet address; overlays disjoint; no internet address inside an overlay. */
function checkRootsAcross(rawRoots: readonly unknown[], problems: Problem[]): void {
  const label = (index: number) => {
    const name = fieldIfValid(rawRoots[index], 'name', RootSchema.shape.name);
    return name === undefined ? `roots[${index}]` : `roots[${index}] ${JSON.stringify(name)}`;
  };
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
  const overlays: Array<{ index: number; prefix: Prefix; text: string }> = [];
  rawRoots.forEach((raw, index) => {
    const text = fieldIfValid(raw, 'overlay', RootSchema.shape.overlay);
    if (text === undefined) return;
    const prefix = parsePrefix(text)!;
    const clash = overlays.find((o) => prefixesOverlap(o.prefix, prefix));
    if (clash) problems.push({ path: `roots[${index}].overlay`, message: `${text} overlaps ${label(clash.index)} (${clash.text})` });
    else overlays.push({ index, prefix, text });
  });
  rawRoots.forEach((raw, index) => {
    const address = fieldIfValid(raw, 'internetAddress', RootSchema.shape.internetAddress);
    if (address === undefined) return;
    const value = parseIpv4(address)!;
    const inside = overlays.find((o) => prefixContains(o.prefix, value));
    if (inside) {
      problems.push({
        path: `roots[${index}].internetAddress`,
        message: `${address} lies inside the overlay of ${label(inside.index)} (${inside.text}); an internet address must be outside every overlay`,
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
