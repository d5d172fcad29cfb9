import { describe, expect, it } from 'vitest';
import { fixtureKeys, samplePlan } from '../render/fixtureKeys.testkit.ts';
import { VYOS_VERSIONS } from '../render/renderOptions.ts';
import { renderLeafVyos } from '../render/vyos/renderLeafVyos.ts';
import { renderRootVyos } from '../render/vyos/renderRootVyos.ts';
import { renderVyosSet } from '../render/vyos/renderVyosSet.ts';
import { checkVyosConfig } from './checkVyosConfig.ts';
import { configTreeFromSet } from './configTreeFromSet.ts';
import { parseSetCommands } from './parseSetCommands.ts';
import { loadReferenceTree } from './referenceTree.ts';

const plan = samplePlan('mesh');
const keys = await fixtureKeys(plan);
const trees = (version: '1.4' | '1.5') =>
  plan.roots.flatMap((root) => [
    { node: root.nodeName, tree: renderRootVyos(plan, root.rootId, keys, { vyosVersion: version }) },
    ...root.leaves.map((leaf) => ({ node: leaf.nodeName, tree: renderLeafVyos(plan, leaf.nodeName, keys, { vyosVersion: version }) })),
  ]);
const rootSet = renderVyosSet(renderRootVyos(plan, 3, keys));
const leafSet = renderVyosSet(renderLeafVyos(plan, 'leaf-3-1', keys));

/** The set commands with every line matching `pattern` replaced by `by` (or dropped). */
const edit = (text: string, pattern: RegExp, by = '') => {
  const edited = text.replace(pattern, by);
  if (edited === text) throw new Error(`nothing matches ${pattern}`);
  return edited;
};

describe('checkVyosConfig', () => {
  it.each(VYOS_VERSIONS)('passes every node the renderer makes for VyOS %s', (version) => {
    for (const { node, tree } of trees(version)) expect(checkVyosConfig(renderVyosSet(tree), version), node).toEqual([]);
  });

  it.each([
    {
      what: 'a peer without its local address (a commit rule)',
      text: edit(rootSet, /^set vpn ipsec site-to-site peer tunnel-3-7 local-address .*\n/m),
      version: '1.4' as const,
      want: { where: 'vpn ipsec site-to-site peer tunnel-3-7', message: 'Missing local-address or dhcp-interface on site-to-site peer tunnel-3-7' },
    },
    {
      what: 'a cipher VyOS does not know (a value)',
      text: `${rootSet}set vpn ipsec esp-group raincoat-esp proposal 9 encryption 'rot13'\n`,
      version: '1.4' as const,
      want: { where: `line ${rootSet.split('\n').length}`, message: expect.stringMatching(/^vpn ipsec esp-group raincoat-esp proposal 9 encryption: value "rot13" is not valid/) },
    },
    {
      what: 'a path VyOS does not have',
      text: `set vpn ipsec bogus 'x'\n${rootSet}`,
      version: '1.5' as const,
      want: { where: 'line 1', message: '"bogus" is not a configuration node under "vpn ipsec"' },
    },
    {
      what: 'an option 1.5 refuses with TLS',
      text: `${leafSet}set interfaces openvpn vtun10 encryption cipher 'aes256gcm'\n`,
      version: '1.5' as const,
      want: { where: 'interfaces openvpn vtun10', message: '"encryption cipher" option is deprecated for TLS mode. Use "encryption data-ciphers" instead' },
    },
  ])('refuses $what with VyOS’s message', ({ text, version, want }) => {
    expect(checkVyosConfig(text, version)).toContainEqual(want);
  });
});

describe('configTreeFromSet', () => {
  it.each(VYOS_VERSIONS)('rebuilds exactly the tree the set commands were rendered from (%s)', (version) => {
    for (const { node, tree } of trees(version)) {
      expect(configTreeFromSet(parseSetCommands(renderVyosSet(tree)).commands, loadReferenceTree(version)), node).toEqual(tree);
    }
  });

  it('keeps the last value of a single-valued option and every value of a multi one', () => {
    const text = "set system host-name 'a'\nset system host-name 'b'\nset system name-server '192.0.2.1'\nset system name-server '192.0.2.2'\n";
    const tree = configTreeFromSet(parseSetCommands(text).commands, loadReferenceTree('1.4'));
    expect(renderVyosSet(tree)).toBe("set system host-name 'b'\nset system name-server '192.0.2.1'\nset system name-server '192.0.2.2'\n");
  });
});
