// Rebuilds a configuration tree from VyOS set commands, using the reference tree to tell nodes, tag nodes and options apart.
import { configTree, leaf, node, tagNode, type ConfigNode, type ConfigOption } from '../render/configTree.ts';
import type { SetCommand } from './parseSetCommands.ts';
import type { ReferenceNode, ReferenceTree } from './referenceTree.ts';

function childNamed(parent: ConfigNode, title: string, tag: string | undefined): ConfigNode {
  const found = parent.children.find((c): c is ConfigNode => c.kind === 'node' && c.title === title && c.tag === tag);
  if (found) return found;
  const created = tag === undefined ? node(title) : tagNode(title, tag);
  parent.children.push(created);
  return created;
}

/** Sets an option: a multi option gains the value, any other option holds it alone (a valueless one holds none). */
function setOption(parent: ConfigNode, title: string, value: string | undefined, multi: boolean): void {
  const at = parent.children.findIndex((c) => c.kind === 'option' && c.title === title);
  const before = at < 0 || !multi ? [] : (parent.children[at] as ConfigOption).values;
  const option = leaf(title, value === undefined || before.includes(value) ? before : [...before, value]);
  if (at < 0) parent.children.push(option);
  else parent.children[at] = option;
}

/**
 * The tree the commands build, as VyOS would hold it after running them. A command whose path the reference does
 * not know is left out (checkSetCommands reports it); a single-valued option keeps its last value, as `set` does.
 */
export function configTreeFromSet(commands: readonly SetCommand[], reference: ReferenceTree): ConfigNode {
  const tree = configTree();
  for (const { words } of commands) {
    let children: Record<string, ReferenceNode> = reference.tree.children;
    let at = tree;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const definition = Object.hasOwn(children, word) ? children[word] : undefined;
      if (!definition) break;
      if (definition.kind === 'leafNode') {
        setOption(at, word, words[i + 1], definition.multi === true);
        break;
      }
      const tag = definition.kind === 'tagNode' ? words[++i] : undefined;
      if (definition.kind === 'tagNode' && tag === undefined) break;
      at = childNamed(at, word, tag);
      children = definition.children ?? {};
    }
  }
  return tree;
}
