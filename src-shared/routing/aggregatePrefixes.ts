// The smallest exact set of IPv4 prefixes covering the same addresses: a leaf routes 500 adjacent /16s as a handful.
import { blockSize, formatPrefix, parsePrefix, type Prefix } from '../net/ipv4.ts';

/** Merges contained prefixes and sibling pairs until none is left; the union of addresses is unchanged. Sorted by address. */
export function aggregatePrefixes(prefixes: readonly string[]): string[] {
  const parsed = prefixes.map((text) => {
    const prefix = parsePrefix(text);
    if (!prefix) throw new Error(`${text} is not an IPv4 prefix`);
    return prefix;
  });
  return aggregateParsed(parsed).map(formatPrefix);
}

/** aggregatePrefixes on prefixes already parsed (routing aggregates a million of them for a 500-root overlay); sorts its argument. */
export function aggregateParsed(parsed: Prefix[]): Prefix[] {
  parsed.sort((x, y) => x.base - y.base || x.length - y.length);
  const stack: Prefix[] = [];
  for (const next of parsed) {
    const last = stack[stack.length - 1];
    if (last && next.base < last.base + blockSize(last.length)) continue;
    stack.push(next);
    // A prefix and its equal-sized sibling make their parent; the parent may complete another pair in turn.
    for (;;) {
      const b = stack[stack.length - 1]!;
      const a = stack[stack.length - 2];
      if (!a || a.length !== b.length || a.length === 0) break;
      const parentSize = blockSize(a.length - 1);
      if (a.base % parentSize !== 0 || a.base + blockSize(a.length) !== b.base) break;
      stack.splice(-2, 2, { base: a.base, length: a.length - 1 });
    }
  }
  return stack;
}
