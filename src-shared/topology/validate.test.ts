import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateTopology } from './validate.ts';
import { CLOUD_PROVIDERS, isNatted, RootSchema } from './schemas.ts';
import { parseIpv4, parsePrefix, prefixContains } from '../net/ipv4.ts';
import { formatProblem } from '../validation/zodProblems.ts';
import type { Problem } from '../validation/zodProblems.ts';
import { corruptedTopology, makeRoot, validTopology } from './arbitraries.testkit.ts';

const lines = (input: unknown) => {
  const result = validateTopology(input);
  return result.ok ? [] : result.problems.map(formatProblem);
};

/** Whether a problem's path is the place or lies inside it. */
const isAt = (path: string, place: string) => path === place || path.startsWith(`${place}.`) || path.startsWith(`${place}[`);

describe('validateTopology', () => {
  it('accepts the issue example and fills in missing tunnels', () => {
    const result = validateTopology({
      roots: [
        { id: 1, name: 'aws-east', internetAddress: '203.0.113.10', overlay: '10.1.0.0/16', maxClients: 250, position: { x: 0, y: 0 }, cloud: { provider: 'existing' } },
      ],
    });
    expect(result).toEqual({ ok: true, topology: expect.objectContaining({ tunnels: [] }) });
  });

  it.each(CLOUD_PROVIDERS.map((provider) => ({ provider, natted: ['ec2', 'eucalyptus', 'azure', 'gcp'].includes(provider) })))(
    'accepts a root on $provider, whose internet address is NATed by default: $natted',
    ({ provider, natted }) => {
      const root = makeRoot(1, { cloud: { provider } });
      expect(validateTopology({ roots: [root] }).ok).toBe(true);
      expect(isNatted(root)).toBe(natted);
      expect(isNatted(makeRoot(1, { cloud: { provider, natted: !natted } }))).toBe(!natted);
    },
  );

  it.each([
    [null, 'topology: expected a topology object {"roots": [...], "tunnels": [...]}, found null'],
    [[], 'topology: expected a topology object {"roots": [...], "tunnels": [...]}, found an array of 0'],
    [{ roots: 'x' }, 'roots: expected an array of roots, found "x"'],
    [{ roots: [7] }, 'roots[0]: expected a root object, found 7'],
    [{ roots: [], tunnels: {} }, 'tunnels: expected an array of tunnels, found an object'],
    [{ roots: [], extra: 1 }, 'extra: unknown field'],
  ])('reports structure: %j', (input, want) => {
    expect(lines(input)).toContain(want);
  });

  it.each([
    ['id', 0, 'roots[0].id: expected a positive integer, found 0'],
    ['id', 1.5, 'roots[0].id: expected a positive integer, found 1.5'],
    ['id', '1', 'roots[0].id: expected a positive integer, found "1"'],
    ['name', '', 'roots[0].name: expected a name of 1 to 63 printable characters, found ""'],
    ['name', 'x'.repeat(64), 'roots[0].name: expected a name of 1 to 63 printable characters, found "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"'],
    ['name', 'a\nb', 'roots[0].name: expected a name of 1 to 63 printable characters, found "a\\nb"'],
    ['internetAddress', '256.1.1.1', 'roots[0].internetAddress: expected an IPv4 address such as 203.0.113.10, found "256.1.1.1"'],
    ['internetAddress', '127.0.0.1', 'roots[0].internetAddress: 127.0.0.1 is a loopback address, which no other machine can reach'],
    ['internetAddress', '01.2.3.4', 'roots[0].internetAddress: expected an IPv4 address such as 203.0.113.10, found "01.2.3.4"'],
    ['overlay', '10.1.0.0/24', 'roots[0].overlay: 10.1.0.0/24 is a /24; an overlay is a /16: did you mean 10.1.0.0/16?'],
    ['overlay', '10.1.1.0/16', 'roots[0].overlay: 10.1.1.0/16 is not where a /16 starts: did you mean 10.1.0.0/16?'],
    ['overlay', '10.300.0.0/16', 'roots[0].overlay: expected an IPv4 /16 written a.b.0.0/16, found "10.300.0.0/16"'],
    ['maxClients', 0, 'roots[0].maxClients: expected an integer from 1 to 50400 (what the address plan holds in a /16), found 0'],
    ['maxClients', 50_401, 'roots[0].maxClients: expected an integer from 1 to 50400 (what the address plan holds in a /16), found 50401'],
    ['maxClients', undefined, 'roots[0].maxClients: missing, expected an integer from 1 to 50400 (what the address plan holds in a /16)'],
    ['cloud', { provider: 'openstack' }, 'roots[0].cloud.provider: expected one of "existing", "ec2", "eucalyptus", "azure", "gcp", "on-premises", found "openstack"'],
    ['cloud', { provider: 'ec2', natted: 'yes' }, 'roots[0].cloud.natted: expected true or false, found "yes"'],
    ['position', { x: 1 }, 'roots[0].position.y: missing, expected a finite number'],
    ['colour', 'red', 'roots[0].colour: unknown field'],
  ])('reports a bad %s (%j)', (field, value, want) => {
    expect(lines({ roots: [{ ...makeRoot(1), [field]: value }] })).toEqual([want]);
  });

  it.each([
    ['127.0.0.1', '127.0.0.1 is a loopback address, which no other machine can reach'],
    ['169.254.1.1', '169.254.1.1 is a link-local address, which no router forwards beyond the local link'],
    ['224.0.0.5', '224.0.0.5 is a multicast address, which routers deliver to groups of machines, never to one'],
    ['0.1.2.3', '0.1.2.3 is a "this network" address, which a machine sends from only before it knows its own address'],
    ['240.0.0.1', '240.0.0.1 is a reserved address, which the internet keeps for future use and does not route'],
    ['255.255.255.255', '255.255.255.255 is the broadcast address, which no router forwards beyond the local link'],
    ['1.2.3', 'expected an IPv4 address such as 203.0.113.10, found "1.2.3"'],
    ['', 'expected an IPv4 address such as 203.0.113.10, found ""'],
    [7, 'expected an IPv4 address such as 203.0.113.10, found 7'],
  ])('says why internet address %j cannot be one', (value, want) => {
    expect(lines({ roots: [{ ...makeRoot(1), internetAddress: value }] })).toEqual([`roots[0].internetAddress: ${want}`]);
  });

  it.each([
    ['10.1.0.0/17', '10.1.0.0/17 is a /17; an overlay is a /16: did you mean 10.1.0.0/16?'],
    ['10.0.0.0/8', '10.0.0.0/8 is a /8; an overlay is a /16: did you mean 10.0.0.0/16?'],
    ['10.1.2.0/16', '10.1.2.0/16 is not where a /16 starts: did you mean 10.1.0.0/16?'],
    ['10.1.2.3/24', '10.1.2.3/24 is a /24; an overlay is a /16: did you mean 10.1.0.0/16?'],
    ['127.0.0.0/16', '127.0.0.0/16 holds loopback addresses, which no other machine can reach'],
    ['169.254.0.0/16', '169.254.0.0/16 holds link-local addresses, which no router forwards beyond the local link'],
    ['224.0.0.0/4', '224.0.0.0/4 holds multicast addresses, which routers deliver to groups of machines, never to one'],
    ['10.1.0.0/33', 'expected an IPv4 /16 written a.b.0.0/16, found "10.1.0.0/33"'],
    ['10.1.0.0', 'expected an IPv4 /16 written a.b.0.0/16, found "10.1.0.0"'],
  ])('hints at the /16 that overlay %j meant, or says why none near it would do', (value, want) => {
    expect(lines({ roots: [makeRoot(1, { overlay: value })] })).toEqual([`roots[0].overlay: ${want}`]);
  });

  it('reports why an address cannot be used even when the rest of its root is broken', () => {
    expect(lines({ roots: [{ ...makeRoot(1), name: 5, internetAddress: '127.0.0.1', overlay: '10.1.0.0/17' }] })).toEqual([
      'roots[0].name: expected a name of 1 to 63 printable characters, found 5',
      'roots[0].internetAddress: 127.0.0.1 is a loopback address, which no other machine can reach',
      'roots[0].overlay: 10.1.0.0/17 is a /17; an overlay is a /16: did you mean 10.1.0.0/16?',
    ]);
  });

  it.each([
    ['a bad tunnels list beside a bad root', { roots: [[[[]]]], tunnels: 7 }, ['tunnels: expected an array of tunnels, found 7', 'roots[0]: expected a root object, found an array of 1']],
    [
      'an unknown field beside a bad root and a bad tunnel',
      { comment: 'x', roots: [makeRoot(1, { maxClients: 0 }), makeRoot(2)], tunnels: [{ a: 1, b: 9 }] },
      ['comment: unknown field', 'roots[0].maxClients: expected an integer from 1 to 50400 (what the address plan holds in a /16), found 0', 'tunnels[0].b: root 9 does not exist'],
    ],
    [
      'bad roots beside bad tunnels, whose ends cannot then be looked up',
      { roots: 'x', tunnels: [{ a: 1, b: 1 }, 'y'] },
      ['roots: expected an array of roots, found "x"', 'tunnels[0]: joins root 1 to itself; a tunnel joins two distinct roots', 'tunnels[1]: expected a tunnel object {"a": rootId, "b": rootId}, found "y"'],
    ],
    ['missing roots beside a tunnel', { tunnels: [{ a: 1, b: 2 }] }, ['roots: missing, expected an array of roots']],
  ])('reports every part of the top level on its own: %s', (_, input, want) => {
    expect(lines(input)).toEqual(want);
  });

  it('reports duplicates at the later entry, naming the earlier one', () => {
    const a = makeRoot(1, { name: 'aws-east' });
    const b = makeRoot(2, { id: 1, name: 'aws-east', internetAddress: a.internetAddress, overlay: a.overlay });
    expect(lines({ roots: [a, b] })).toEqual([
      'roots[1].id: 1 is already used by root 1 (aws-east)',
      'roots[1].name: "aws-east" is already used by root 1 (aws-east)',
      'roots[1].internetAddress: "203.0.0.1" is already used by root 1 (aws-east)',
      'roots[1].overlay: 10.1.0.0/16 overlaps the overlay of root 1 (aws-east)',
    ]);
  });

  it.each([
    { what: 'its id and name', earlier: makeRoot(4, { name: 'gcp' }), want: 'root 4 (gcp)' },
    { what: 'its id when its name is bad', earlier: makeRoot(4, { name: '' }), want: 'root 4' },
    { what: 'its name when its id is bad', earlier: makeRoot(4, { id: 0, name: 'gcp' }), want: 'the root named "gcp"' },
    { what: 'its place in the list when neither is good', earlier: makeRoot(4, { id: 0, name: '' }), want: 'root number 1 in the list' },
  ])('names the earlier root by $what, never by a path', ({ earlier, want }) => {
    const later = makeRoot(5, { overlay: earlier.overlay });
    expect(lines({ roots: [earlier, later] })).toContain(`roots[1].overlay: ${earlier.overlay} overlaps the overlay of ${want}`);
  });

  it('keeps paths out of every message across entries, so the editor can show each beside its field', () => {
    const a = makeRoot(1);
    const roots = [a, { ...a, internetAddress: '10.1.0.9' }, makeRoot(3, { name: '' }), makeRoot(4, { id: 0, overlay: makeRoot(3).overlay })];
    const result = validateTopology({ roots, tunnels: [{ a: 1, b: 3 }, { a: 3, b: 1 }, { a: 3, b: 3 }, { a: 3, b: 9 }] });
    const problems = result.ok ? [] : result.problems;
    expect(problems.length).toBeGreaterThanOrEqual(8);
    for (const p of problems) expect(p.message, formatProblem(p)).not.toMatch(/(roots|tunnels)\[\d+\]/);
  });

  it('refuses an internet address inside any overlay, its own included', () => {
    expect(lines({ roots: [makeRoot(1, { internetAddress: '10.1.2.3' })] })).toEqual([
      "roots[0].internetAddress: 10.1.2.3 lies inside 10.1.0.0/16, this root's own overlay; an internet address must be outside every overlay",
    ]);
  });

  it("refuses an internet address inside another root's overlay, at its edges too", () => {
    const roots = (address: string) => [makeRoot(1), makeRoot(2, { internetAddress: address })];
    expect(lines({ roots: roots('10.1.255.255') })).toEqual([
      'roots[1].internetAddress: 10.1.255.255 lies inside 10.1.0.0/16, the overlay of root 1 (cloud-1); an internet address must be outside every overlay',
    ]);
    expect(lines({ roots: roots('10.1.0.0') })).toHaveLength(1);
    expect(lines({ roots: roots('10.0.255.255') })).toEqual([]);
    expect(lines({ roots: roots('10.3.0.0') })).toEqual([]);
  });

  it('checks tunnels: distinct ends, existing roots, no duplicate in either direction', () => {
    const roots = [makeRoot(1), makeRoot(2)];
    expect(lines({ roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 1 }, { a: 1, b: 1 }, { a: 1, b: 3 }, { a: 1 }, 'x'] })).toEqual([
      'tunnels[1]: there is already a tunnel between root 2 (cloud-2) and root 1 (cloud-1)',
      'tunnels[2]: joins root 1 (cloud-1) to itself; a tunnel joins two distinct roots',
      'tunnels[3].b: root 3 does not exist',
      'tunnels[4].b: missing, expected a positive integer',
      'tunnels[5]: expected a tunnel object {"a": rootId, "b": rootId}, found "x"',
    ]);
  });

  it('reports every problem of every entry, not just the first', () => {
    const out = lines({ roots: [{ id: -1, name: 5 }, makeRoot(2, { maxClients: -3 })], tunnels: [{ a: 2, b: 2 }] });
    expect(out.filter((l) => l.startsWith('roots[0]'))).toHaveLength(5);
    expect(out.some((l) => l.startsWith('roots[1].maxClients'))).toBe(true);
    expect(out.some((l) => l.startsWith('tunnels[0]'))).toBe(true);
  });

  it('accepts every generated valid topology', () => {
    fc.assert(fc.property(validTopology, (t) => validateTopology(t).ok), { numRuns: 300 });
  });

  it('reports each of several independent corruptions at its own place, and nothing else', () => {
    fc.assert(
      fc.property(corruptedTopology, ({ input, places, replacedIds }) => {
        const result = validateTopology(input);
        expect(result.ok).toBe(false);
        const problems = result.ok ? [] : result.problems;
        for (const place of places) expect(problems.some((p) => isAt(p.path, place)), place).toBe(true);
        const cascades = (p: Problem) => /^tunnels\[\d+\]\.[ab]$/.test(p.path) && replacedIds.some((id) => p.message === `root ${id} does not exist`);
        for (const p of problems) expect(places.some((place) => isAt(p.path, place)) || cascades(p), formatProblem(p)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses exactly the internet addresses and overlays that the root schema refuses', () => {
    const address = fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.constantFrom('127.0.0.1', '169.254.1.1', '224.0.0.5', '0.0.0.0', '255.255.255.255', '10.1.2.3'));
    const overlay = fc.oneof(
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 33 })).map(([a, n]) => `${a}/${n}`),
      fc.nat({ max: 255 }).map((b) => `${b}.${b}.0.0/16`),
    );
    fc.assert(
      fc.property(address, overlay, (a, o) => {
        const schemaAccepts = RootSchema.safeParse(makeRoot(1, { internetAddress: a, overlay: o })).success;
        const inside = schemaAccepts && prefixContains(parsePrefix(o)!, parseIpv4(a)!);
        expect(validateTopology({ roots: [makeRoot(1, { internetAddress: a, overlay: o })] }).ok).toBe(schemaAccepts && !inside);
      }),
      { numRuns: 3000 },
    );
  });

  it('reports an unknown top-level field of a valid topology, and only that', () => {
    const key = fc.string().filter((k) => k !== 'roots' && k !== 'tunnels' && k !== '__proto__');
    fc.assert(
      fc.property(validTopology, key, fc.jsonValue(), (t, k, value) => {
        expect(validateTopology({ ...t, [k]: value })).toEqual({ ok: false, problems: [{ path: k, message: 'unknown field' }] });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever JSON it is given, and always explains itself', () => {
    const json = fc.jsonValue({ maxDepth: 6 });
    const rootish = fc.record({ id: json, name: json, internetAddress: json, overlay: json, maxClients: json }, { requiredKeys: [] });
    const input = fc.oneof(json, fc.record({ roots: fc.oneof(json, fc.array(fc.oneof(rootish, json))), tunnels: json }, { requiredKeys: [] }));
    fc.assert(
      fc.property(input, (value) => {
        const result = validateTopology(value);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) expect(p.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
