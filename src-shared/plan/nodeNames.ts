// Node names (`root-<id>`, `leaf-<root>-<n>`) and tunnel names (`tunnel-<a>-<b>`): how the plan names them, and how the wire, packages and editor read them back.
import { z } from 'zod';

const ROOT_NAME = /^root-([1-9]\d{0,9})$/;
const LEAF_NAME = /^leaf-([1-9]\d{0,9})-([1-9]\d{0,5})$/;
// RootIdSchema's range, checked directly: names are read on every message and a schema parse per name is costly.
const MAX_ROOT_ID = 2 ** 31 - 1;

export type NodeName = { role: 'root'; rootId: number } | { role: 'leaf'; rootId: number; index: number };

export function rootNodeName(rootId: number): string {
  return `root-${rootId}`;
}

export function leafNodeName(rootId: number, index: number): string {
  return `leaf-${rootId}-${index}`;
}

/** Tunnels are unordered, so the lower root id comes first: the name of the IPsec connection, its key and its edge on the canvas. */
export function tunnelName(a: number, b: number): string {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return `tunnel-${lo}-${hi}`;
}

/** Node names read so far: every flooded message has its origin's and its neighbours' read again, hundreds a second. */
const readNames = new Map<string, NodeName | undefined>();
// An overlay has far fewer nodes; beyond this (names made up by a peer), names are read without being remembered, and
// a name is never longer than NodeNameSchema's 40 characters.
const MAX_READ_NAMES = 100_000;
const MAX_NAME_CHARS = 40;

/** Reads a node name; undefined when it is neither root-<id> nor leaf-<id>-<n> with a valid root id. */
export function parseNodeName(name: string): NodeName | undefined {
  if (readNames.has(name)) return readNames.get(name);
  const read = readNodeName(name);
  if (readNames.size < MAX_READ_NAMES && name.length <= MAX_NAME_CHARS) readNames.set(name, read);
  return read;
}

function readNodeName(name: string): NodeName | undefined {
  const root = ROOT_NAME.exec(name);
  if (root) return Number(root[1]) <= MAX_ROOT_ID ? Object.freeze({ role: 'root', rootId: Number(root[1]) }) : undefined;
  const leaf = LEAF_NAME.exec(name);
  if (leaf) return Number(leaf[1]) <= MAX_ROOT_ID ? Object.freeze({ role: 'leaf', rootId: Number(leaf[1]), index: Number(leaf[2]) }) : undefined;
  return undefined;
}

export const NodeNameSchema = z.string().max(MAX_NAME_CHARS).refine((s) => parseNodeName(s) !== undefined, 'expected a node name root-<id> or leaf-<id>-<n>');

/** Roots by id, each followed by its leaves by index. */
export function byNode(a: string, b: string): number {
  const x = parseNodeName(a);
  const y = parseNodeName(b);
  if (x === undefined || y === undefined) return a < b ? -1 : a > b ? 1 : 0;
  const xi = x.role === 'root' ? 0 : x.index;
  const yi = y.role === 'root' ? 0 : y.index;
  return x.rootId - y.rootId || xi - yi;
}
