// Renders a configuration tree as VyOS `config.boot` text (4-space indents, braces), for `merge` or inspection.
import type { ConfigNode } from '../configTree.ts';
import { assertPrintable } from '../assertPrintable.ts';

/** What VyOS's config.boot parser would split on or read as syntax; such values go in double quotes. */
const NEEDS_QUOTES = /[\s;{}#[\]"']/;

export function quoteBootWord(word: string, force = false): string {
  assertPrintable(word, 'VyOS');
  if (!force && word !== '' && !NEEDS_QUOTES.test(word)) return word;
  return `"${word.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * The tree as config.boot text, as VyOS writes it: values always double-quoted, names and tags only where
 * needed. It carries no `// vyos-config-version` footer: it is a fragment of the owned subtrees, meant for
 * `merge` on a running router, not a whole boot file.
 */
export function renderConfigBoot(tree: ConfigNode): string {
  const lines: string[] = [];
  const walk = (node: ConfigNode, depth: number): void => {
    const indent = '    '.repeat(depth);
    for (const child of node.children) {
      const title = quoteBootWord(child.title);
      if (child.kind === 'option') {
        if (child.values.length === 0) lines.push(`${indent}${title}`);
        for (const value of child.values) lines.push(`${indent}${title} ${quoteBootWord(value, true)}`);
        continue;
      }
      const head = child.tag === undefined ? title : `${title} ${quoteBootWord(child.tag)}`;
      lines.push(`${indent}${head} {`);
      walk(child, depth + 1);
      lines.push(`${indent}}`);
    }
  };
  walk(tree, 0);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
