import { describe, expect, it } from 'vitest';
import { append, childNode, configTree, leaf, node, nodeAt, optionValues, tagNode, taggedChildren } from './configTree.ts';

describe('configTree', () => {
  it('append replaces a child of the same title in place, like the seed append_object', () => {
    const tree = configTree([node('interfaces'), node('vpn', [leaf('old')]), node('protocols')]);
    append(tree, node('vpn', [leaf('new')]));
    expect(tree.children.map((c) => c.title)).toEqual(['interfaces', 'vpn', 'protocols']);
    expect(optionValues(childNode(tree, 'vpn')!, 'new')).toEqual([]);
    expect(optionValues(childNode(tree, 'vpn')!, 'old')).toBeUndefined();
  });

  it('append keeps tag nodes with different tags, and replaces the one with the same tag', () => {
    const ipsec = node('site-to-site');
    append(ipsec, tagNode('peer', 'a', [leaf('remote-address', '192.0.2.1')]));
    append(ipsec, tagNode('peer', 'b'));
    append(ipsec, tagNode('peer', 'a', [leaf('remote-address', '192.0.2.9')]));
    expect(taggedChildren(ipsec, 'peer').map((p) => p.tag)).toEqual(['a', 'b']);
    expect(optionValues(childNode(ipsec, 'peer', 'a')!, 'remote-address')).toEqual(['192.0.2.9']);
  });

  it('append replaces an option of the same title, and a node never replaces an option', () => {
    const n = node('x', [leaf('mode', 'client')]);
    append(n, leaf('mode', 'server'));
    append(n, node('mode'));
    expect(n.children).toHaveLength(2);
    expect(optionValues(n, 'mode')).toEqual(['server']);
  });

  it('leaf values: none is valueless, a string one value, an array several', () => {
    expect(leaf('disable').values).toEqual([]);
    expect(leaf('id', 'a').values).toEqual(['a']);
    expect(leaf('id', ['a', 'b']).values).toEqual(['a', 'b']);
  });

  it('nodeAt follows titles and [title, tag] steps', () => {
    const tree = configTree([node('vpn', [node('ipsec', [tagNode('esp-group', 'e', [leaf('mode', 'tunnel')])])])]);
    expect(optionValues(nodeAt(tree, ['vpn', 'ipsec', ['esp-group', 'e']])!, 'mode')).toEqual(['tunnel']);
    expect(nodeAt(tree, ['vpn', 'ipsec', ['esp-group', 'f']])).toBeUndefined();
    expect(nodeAt(tree, ['nope', 'ipsec'])).toBeUndefined();
  });
});
