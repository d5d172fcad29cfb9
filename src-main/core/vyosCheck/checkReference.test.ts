import { describe, expect, it } from 'vitest';
import { checkSetCommands, compileVyosRegex } from './checkReference.ts';
import { loadReferenceTree, type ReferenceTree } from './referenceTree.ts';

const SYNTHETIC: ReferenceTree = {
  tree: {
    children: {
      box: {
        kind: 'node',
        children: {
          flag: { kind: 'leafNode', valueless: true },
          name: { kind: 'leafNode', constraint: { regex: ['[a-z]+'] } },
          port: { kind: 'leafNode', constraint: { validator: [{ name: 'numeric', argument: '--range 1-10' }] } },
          secret: { kind: 'leafNode', constraint: { validator: [{ name: 'psk-secret' }] } },
          iface: {
            kind: 'leafNode',
            multi: true,
            constraint: { regex: ['(eth|vtun)[0-9]+|lo'], validator: [{ name: 'file-path --lookup-path /sys/class/net --directory' }] },
          },
          both: { kind: 'leafNode', constraintGroup: [{ regex: ['[a-z0-9]+'], validator: [{ name: 'numeric', argument: '--range 1-99' }] }] },
          item: {
            kind: 'tagNode',
            constraint: { regex: ['[a-z][a-z0-9-]*'] },
            constraintErrorMessage: 'Item names are lower case',
            children: { size: { kind: 'leafNode' } },
          },
        },
      },
    },
  },
};

const problemsOf = (text: string, tree: ReferenceTree = SYNTHETIC) => checkSetCommands(text, tree).map((p) => p.message);

describe('checkSetCommands against a synthetic tree', () => {
  it('accepts valid paths, values, tags, node creation and repeated identical values', () => {
    const text = [
      'set box flag',
      'set box name abc',
      'set box port 10',
      'set box iface eth0',
      'set box iface vtun10',
      'set box iface lo',
      'set box both 42',
      "set box item 'a-1' size 'any words'",
      'set box item b2',
      'set box',
      'set box name abc',
      '# a comment',
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([]);
  });

  it.each([
    ['set nothing here', /"nothing" is not a configuration node/],
    ['set box colour red', /"colour" is not a configuration node under "box"/],
    ['set box flag yes', /"box flag" takes no value/],
    ['set box name', /"box name" needs a value/],
    ['set box name two words', /takes one value, found 2 words/],
    ['set box name ABC', /box name: value "ABC" is not valid/],
    ['set box port 11', /box port: value "11" is not valid/],
    ['set box iface eth0x', /value "eth0x" is not valid/],
    ['set box iface xlo', /value "xlo" is not valid/],
    ['set box both abc', /value "abc" is not valid/],
    ['set box item', /"box item" needs a tag value/],
    ['set box item Bad size 1', /tag "Bad" is not valid \(Item names are lower case\)/],
    ["set box name 'unterminated", /unterminated single quote/],
    ['delete box name', /not a set command/],
    ['set', /set without a path/],
  ])('%s', (line, message) => {
    const problems = problemsOf(line);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('an unknown validator fails the value and says so', () => {
    expect(problemsOf('set box secret abc')).toEqual([
      'box secret: value "abc" is not valid; validator "psk-secret" is not implemented here, so it cannot vouch for it',
    ]);
  });

  it('a single-valued leaf set twice to different values is a problem; a multi leaf is not', () => {
    expect(problemsOf('set box name abc\nset box name def')).toEqual(['"box name" holds one value, but line 1 already set "abc"']);
    expect(problemsOf('set box iface eth0\nset box iface eth1')).toEqual([]);
  });

  it('reports the line of each problem', () => {
    const problems = checkSetCommands('set box flag\nset box port 0\nset box flag', SYNTHETIC);
    expect(problems.map((p) => p.line)).toEqual([2]);
  });
});

describe('compileVyosRegex', () => {
  it('anchors the whole alternation and translates POSIX classes', () => {
    expect(compileVyosRegex('a|b').test('xa')).toBe(false);
    expect(compileVyosRegex('[[:alnum:]-_!@*#]{1,100}').test('Ab9-_!')).toBe(true);
    expect(compileVyosRegex('[[:ascii:]]{1,5}').test('abc')).toBe(true);
    expect(compileVyosRegex('[[:ascii:]]{1,5}').test('é')).toBe(false);
    expect(compileVyosRegex('[^[:space:]]{1,8}').test('a b')).toBe(false);
    expect(compileVyosRegex('[:0-7 ]+').test('0:7 ')).toBe(true);
  });

  it('compiles every regex of both reference trees', () => {
    for (const version of ['1.4', '1.5'] as const) {
      const walk = (node: { constraint?: { regex?: string[] }; constraintGroup?: { regex?: string[] }[]; children?: Record<string, unknown> }): number => {
        const regexes = [...(node.constraint?.regex ?? []), ...(node.constraintGroup ?? []).flatMap((g) => g.regex ?? [])];
        for (const r of regexes) expect(() => compileVyosRegex(r), r).not.toThrow();
        return regexes.length + Object.values(node.children ?? {}).reduce((n: number, c) => n + walk(c as never), 0);
      };
      expect(walk(loadReferenceTree(version).tree)).toBeGreaterThan(300);
    }
  });
});

describe('checkSetCommands against the VyOS reference trees', () => {
  it.each(['1.4', '1.5'] as const)('VyOS %s: real paths pass, wrong ones fail', (version) => {
    const tree = loadReferenceTree(version);
    expect(problemsOf("set vpn ipsec site-to-site peer tunnel-1-2 local-address any\nset system host-name 'r1'", tree)).toEqual([]);
    expect(problemsOf('set vpn ipsec site-to-site peer tunnel.1 local-address any', tree)).toEqual([
      expect.stringMatching(/tag "tunnel.1" is not valid/),
    ]);
    expect(problemsOf('set vpn ipsec site-to-site peer p local-address anywhere', tree)).toHaveLength(1);
    expect(problemsOf('set vpn ipsec esp-group e pfs dh-group99', tree)).toHaveLength(1);
  });

  it('knows where the releases differ: ncp-ciphers (1.4) against data-ciphers (1.5)', () => {
    const ncp = 'set interfaces openvpn vtun0 encryption ncp-ciphers aes256gcm';
    const data = 'set interfaces openvpn vtun0 encryption data-ciphers aes256gcm';
    expect(problemsOf(ncp, loadReferenceTree('1.4'))).toEqual([]);
    expect(problemsOf(data, loadReferenceTree('1.4'))).toHaveLength(1);
    expect(problemsOf(data, loadReferenceTree('1.5'))).toEqual([]);
    expect(problemsOf(ncp, loadReferenceTree('1.5'))).toHaveLength(1);
  });
});
