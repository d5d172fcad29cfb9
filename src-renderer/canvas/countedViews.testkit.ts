// Component tests' count of how many times each root or tunnel is drawn: a mock of a memo'd view wraps it in
// `counted`, and `renders` holds the drawings by node or edge id (one map per test file: vitest loads modules anew for each).
import { memo } from 'react';
import type { ReactNode } from 'react';

export const renders = new Map<string, number>();

/** The memo'd `view` itself, with its own comparison of props if it has one, counting its drawings. */
export function counted<P extends { id: string }>(view: unknown) {
  const { type: real, compare } = view as { type: (props: P) => ReactNode; compare: ((a: P, b: P) => boolean) | null };
  return memo(function Counted(props: P) {
    renders.set(props.id, (renders.get(props.id) ?? 0) + 1);
    return real(props);
  }, compare ?? undefined);
}

/** Drawings per id since `before` (a copy of `renders`). */
export function drawnSince(before: ReadonlyMap<string, number>, ids: readonly string[]): Record<string, number> {
  return Object.fromEntries(ids.map((id) => [id, (renders.get(id) ?? 0) - (before.get(id) ?? 0)]));
}
