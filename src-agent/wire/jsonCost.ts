// What parsing a JSON text would build, measured without building it: how deep it nests and how many strings, objects
// and arrays it holds, stopping as soon as a bound is passed. JSON.parse builds every value before anything can be
// checked: 32 MiB of `[[[[…` took 9 s and 2 GiB, 32 MiB of `{},{},…` 4.6 s and 1.8 GiB (lite mode, as agents run).

/** Far deeper than any real body: a deploy package of 500 roots nests 5 deep, and so does a flood line at most. */
export const MAX_JSON_DEPTH = 32;

/**
 * A body may hold one item per this many bytes of its route's limit. Items are strings, objects and arrays (what
 * JSON.parse allocates), and escaped quotes (each costs the scan a step). A deploy package of 500 roots holds one per
 * 117 bytes (152,027 in 17.0 MiB); so a package nearly twice as dense still passes, and a body within the 32 MiB package
 * limit can make JSON.parse build 524,288 values at most.
 */
export const BYTES_PER_JSON_ITEM = 64;

export interface JsonBounds {
  maxDepth: number;
  maxItems: number;
}

export type JsonCost = { depth: number; items: number } | { exceeds: 'depth' | 'items'; at: number };

const STRUCTURE = /["{}[\]]/g;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * The deepest nesting and the count of items, or where a bound was first passed. Not a validator: for a text that is not
 * JSON the answer means little, and JSON.parse refuses it next. Costs one regular-expression step per item, a string's
 * text being skipped by indexOf: 90 ms for that package, and 0.5 s at most to refuse 32 MiB (lite mode).
 */
export function jsonCost(text: string, bounds: JsonBounds): JsonCost {
  const structure = new RegExp(STRUCTURE);
  let depth = 0;
  let deepest = 0;
  let items = 0;
  while (structure.test(text)) {
    const at = structure.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c !== QUOTE && c !== OPEN_BRACE && c !== OPEN_BRACKET) {
      depth--;
      continue;
    }
    if (++items > bounds.maxItems) return { exceeds: 'items', at };
    if (c !== QUOTE) {
      if (++depth > bounds.maxDepth) return { exceeds: 'depth', at };
      deepest = Math.max(deepest, depth);
    } else {
      // To the quote that ends the string: one after an even run of backslashes.
      let end = at;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return { depth: deepest, items };
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
        if (++items > bounds.maxItems) return { exceeds: 'items', at: end };
      }
      structure.lastIndex = end + 1;
    }
  }
  return { depth: deepest, items };
}
