import { describe, expect, it } from 'vitest';
import { configTree, leaf, node, tagNode } from '../configTree.ts';
import { quoteBootWord, renderConfigBoot } from './renderConfigBoot.ts';

describe('quoteBootWord', () => {
  it.each([
    ['eth0', 'eth0'],
    ['MIIB+/a==', 'MIIB+/a=='],
    ['two words', '"two words"'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ["it's", `"it's"`],
    ['a#b', '"a#b"'],
    ['{x}', '"{x}"'],
    ['[x]', '"[x]"'],
    ['a;b', '"a;b"'],
    ['back\\slash "q"', '"back\\\\slash \\"q\\""'],
  ])('%j → %s', (word, quoted) => {
    expect(quoteBootWord(word)).toBe(quoted);
  });

  it('forces quotes when asked, and refuses control characters', () => {
    expect(quoteBootWord('x', true)).toBe('"x"');
    expect(() => quoteBootWord('a\tb')).toThrow(/control character/);
  });
});

describe('renderConfigBoot', () => {
  it('nests with four-space indents; tags quoted where needed, values always; options repeat per value', () => {
    const tree = configTree([
      node('interfaces', [
        tagNode('openvpn', 'vtun10', [
          leaf('description', 'Raincoat root-1'),
          leaf('persistent-tunnel'),
          node('server', [leaf('subnet', '10.1.0.0/22'), tagNode('push-route', '10.2.0.0/16')]),
          leaf('openvpn-option', ['remote-cert-tls client', 'verb 3']),
        ]),
      ]),
      node('vpn', [node('ipsec', [tagNode('authentication', 'a b')])]),
    ]);
    expect(renderConfigBoot(tree)).toBe(
      [
        'interfaces {',
        '    openvpn vtun10 {',
        '        description "Raincoat root-1"',
        '        persistent-tunnel',
        '        server {',
        '            subnet "10.1.0.0/22"',
        '            push-route 10.2.0.0/16 {',
        '            }',
        '        }',
        '        openvpn-option "remote-cert-tls client"',
        '        openvpn-option "verb 3"',
        '    }',
        '}',
        'vpn {',
        '    ipsec {',
        '        authentication "a b" {',
        '        }',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
  });
});
