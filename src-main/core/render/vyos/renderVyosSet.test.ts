import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configTree, leaf, node, tagNode } from '../configTree.ts';
import { splitShellWords } from '../../vyosCheck/parseSetCommands.ts';
import { quoteSetWord, renderVyosSet } from './renderVyosSet.ts';

describe('quoteSetWord', () => {
  it.each([
    ['eth0', 'eth0'],
    ['10.1.0.0/16', '10.1.0.0/16'],
    ['MIIB+/a==', 'MIIB+/a=='],
    ['%any', '%any'],
    ['two words', "'two words'"],
    ["it's", `'it'\\''s'`],
    ['say "hi"', `'say "hi"'`],
    ['', "''"],
    ['a#b', "'a#b'"],
    ['$HOME', "'$HOME'"],
    ['a;b', "'a;b'"],
    ['{x}', "'{x}'"],
    ['back\\slash', "'back\\slash'"],
  ])('%j → %s', (word, quoted) => {
    expect(quoteSetWord(word)).toBe(quoted);
  });

  it('forces quotes when asked', () => {
    expect(quoteSetWord('10.5.5.101', true)).toBe("'10.5.5.101'");
  });

  it('refuses control characters, which no set command can carry', () => {
    expect(() => quoteSetWord('a\nb')).toThrow(/control character/);
  });

  it('a shell splits every quoted word back into exactly that word', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09 \'"\\$#;{}[]*?!&|<>()`~=+/.:-_%@,'.split('')) }), (word) => {
        expect(splitShellWords(`set x ${quoteSetWord(word)}`)).toEqual(['set', 'x', word]);
      }),
    );
  });
});

describe('renderVyosSet', () => {
  it('writes one line per value (always quoted, as VyOS shows them), valueless flags, empty nodes, tags quoted where needed', () => {
    const tree = configTree([
      node('interfaces', [
        tagNode('openvpn', 'vtun10', [
          leaf('description', 'Raincoat "east"'),
          leaf('persistent-tunnel'),
          node('server', [leaf('subnet', '10.1.0.0/22'), tagNode('push-route', '10.2.0.0/16')]),
          leaf('openvpn-option', ['remote-cert-tls client', 'verb 3']),
        ]),
      ]),
      node('service', [node('ssh')]),
      node('system', [tagNode('login', 'two words', [leaf('host-name', 'r1')])]),
    ]);
    expect(renderVyosSet(tree)).toBe(
      [
        `set interfaces openvpn vtun10 description 'Raincoat "east"'`,
        'set interfaces openvpn vtun10 persistent-tunnel',
        "set interfaces openvpn vtun10 server subnet '10.1.0.0/22'",
        'set interfaces openvpn vtun10 server push-route 10.2.0.0/16',
        `set interfaces openvpn vtun10 openvpn-option 'remote-cert-tls client'`,
        `set interfaces openvpn vtun10 openvpn-option 'verb 3'`,
        'set service ssh',
        `set system login 'two words' host-name 'r1'`,
        '',
      ].join('\n'),
    );
  });

  it('renders an empty tree as nothing', () => {
    expect(renderVyosSet(configTree())).toBe('');
  });
});
