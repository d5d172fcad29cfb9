// Renders a configuration tree as VyOS `set` commands, one per value, in tree order.
import type { ConfigNode } from '../configTree.ts';
import { assertPrintable } from '../assertPrintable.ts';

/** Words a shell and VyOS's CLI both take unquoted; anything else is single-quoted. */
const PLAIN_WORD = /^[A-Za-z0-9_.:/@+=,%-]+$/;

/** Quotes a word for a set command: single quotes where a shell or VyOS would split it (or always, `force`), `'` as `'\''`. */
export function quoteSetWord(word: string, force = false): string {
  assertPrintable(word, 'VyOS');
  if (!force && PLAIN_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * One `set …` line per option value (and per empty node), in the tree's order; ends with a newline. Values are
 * always single-quoted and names and tags only where needed, which is how `show configuration commands` prints them.
 */
export function renderVyosSet(tree: ConfigNode): string {
  const lines: string[] = [];
  const walk = (node: ConfigNode, prefix: string[]): void => {
    for (const child of node.children) {
      if (child.kind === 'option') {
        const path = [...prefix, quoteSetWord(child.title)];
        if (child.values.length === 0) lines.push(`set ${path.join(' ')}`);
        for (const value of child.values) lines.push(`set ${path.join(' ')} ${quoteSetWord(value, true)}`);
        continue;
      }
      const path = [...prefix, quoteSetWord(child.title)];
      if (child.tag !== undefined) path.push(quoteSetWord(child.tag));
      if (child.children.length === 0) lines.push(`set ${path.join(' ')}`);
      else walk(child, path);
    }
  };
  walk(tree, []);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
