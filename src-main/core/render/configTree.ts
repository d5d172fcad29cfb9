// A router configuration as a typed tree (the seed's VyattaObject): nodes with an optional tag, and options with values.

/**
 * An option (VyOS leafNode): no values is a valueless flag, several values a multi option. The seed's
 * `quote=True` has no counterpart: renderers quote every value, as VyOS itself prints them.
 */
export interface ConfigOption {
  readonly kind: 'option';
  readonly title: string;
  readonly values: readonly string[];
}

/** A node (VyOS node, or tagNode when `tag` is set) and its children, kept in insertion order. */
export interface ConfigNode {
  readonly kind: 'node';
  readonly title: string;
  readonly tag: string | undefined;
  readonly children: ConfigEntry[];
}

export type ConfigEntry = ConfigNode | ConfigOption;

/** The top of a configuration: a node without a title that renderers never print. */
export function configTree(children: ConfigEntry[] = []): ConfigNode {
  return { kind: 'node', title: '', tag: undefined, children: [...children] };
}

export function node(title: string, children: ConfigEntry[] = []): ConfigNode {
  return { kind: 'node', title, tag: undefined, children: [...children] };
}

export function tagNode(title: string, tag: string, children: ConfigEntry[] = []): ConfigNode {
  return { kind: 'node', title, tag, children: [...children] };
}

/** `leaf('disable')` is valueless; `leaf('address', ['a', 'b'])` is multi. */
export function leaf(title: string, values: string | readonly string[] = []): ConfigOption {
  return { kind: 'option', title, values: typeof values === 'string' ? [values] : [...values] };
}

function sameName(a: ConfigEntry, b: ConfigEntry): boolean {
  if (a.kind !== b.kind || a.title !== b.title) return false;
  return a.kind === 'option' || a.tag === (b as ConfigNode).tag;
}

/**
 * Appends `child` to `parent`, replacing in place an existing child of the same name (title, and tag for a
 * tag node): like the seed's `append_object`, a new `vpn` replaces the old one, while `peer a` and `peer b`
 * are different names and coexist. Returns `parent`.
 */
export function append(parent: ConfigNode, child: ConfigEntry): ConfigNode {
  const at = parent.children.findIndex((existing) => sameName(existing, child));
  if (at >= 0) parent.children[at] = child;
  else parent.children.push(child);
  return parent;
}

/** The child node with this title (and tag, for a tag node), if any. */
export function childNode(parent: ConfigNode, title: string, tag?: string): ConfigNode | undefined {
  return parent.children.find((c): c is ConfigNode => c.kind === 'node' && c.title === title && c.tag === tag);
}

/** Every tag node with this title under `parent`, in order. */
export function taggedChildren(parent: ConfigNode, title: string): ConfigNode[] {
  return parent.children.filter((c): c is ConfigNode => c.kind === 'node' && c.title === title && c.tag !== undefined);
}

/** The values of the option with this title; undefined when the option is absent ([] when it is valueless). */
export function optionValues(parent: ConfigNode, title: string): readonly string[] | undefined {
  return parent.children.find((c): c is ConfigOption => c.kind === 'option' && c.title === title)?.values;
}

/** Follows nodes by title, or by [title, tag] for tag nodes. */
export function nodeAt(root: ConfigNode, steps: readonly (string | readonly [string, string])[]): ConfigNode | undefined {
  let at: ConfigNode | undefined = root;
  for (const step of steps) {
    if (!at) return undefined;
    at = typeof step === 'string' ? childNode(at, step) : childNode(at, step[0], step[1]);
  }
  return at;
}
