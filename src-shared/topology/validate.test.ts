import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateTopology } from './validate.ts';
import { formatProblem } from '../validation/zodProblems.ts';
import { makeRoot, validTopology } from './arbitraries.testkit.ts';

const lines = (input: unknown) => {
  const result = validateTopology(input);
  return result.ok ? [] : result.problems.map(formatProblem);
};

describe('validateTopology', () => {
  it('accepts the issue example and fills in missing tunnels', () => {
    const result = validateTopology({
      roots: [
        { id: 1, name: 'aws-east', internetAddress: '203.0.113.10', overlay: '10.1.0.0/16', maxClients: 250, position: { x: 0, y: 0 }, cloud: { provider: 'existing' } },
      ],
    });
    expect(result).toEqual({ ok: true, topology: expect.objectContaining({ tunnels: [] }) });
  });

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
    ['internetAddress', '127.0.0.1', 'roots[0].internetAddress: expected an IPv4 address such as 203.0.113.10, found "127.0.0.1"'],
    ['internetAddress', '01.2.3.4', 'roots[0].internetAddress: expected an IPv4 address such as 203.0.113.10, found "01.2.3.4"'],
    ['overlay', '10.1.0.0/24', 'roots[0].overlay: expected an IPv4 /16 written a.b.0.0/16, found "10.1.0.0/24"'],
    ['overlay', '10.1.1.0/16', 'roots[0].overlay: expected an IPv4 /16 written a.b.0.0/16, found "10.1.1.0/16"'],
    ['overlay', '10.300.0.0/16', 'roots[0].overlay: expected an IPv4 /16 written a.b.0.0/16, found "10.300.0.0/16"'],
    ['maxClients', 0, 'roots[0].maxClients: expected an integer from 1 to 50400 (what the address plan holds in a /16), found 0'],
    ['maxClients', 50_401, 'roots[0].maxClients: expected an integer from 1 to 50400 (what the address plan holds in a /16), found 50401'],
    ['maxClients', undefined, 'roots[0].maxClients: missing, expected an integer from 1 to 50400 (what the address plan holds in a /16)'],
    ['cloud', { provider: 'gcp' }, 'roots[0].cloud.provider: expected one of "existing", "ec2", "eucalyptus", found "gcp"'],
    ['cloud', { provider: 'ec2', natted: 'yes' }, 'roots[0].cloud.natted: expected true or false, found "yes"'],
    ['position', { x: 1 }, 'roots[0].position.y: missing, expected a finite number'],
    ['colour', 'red', 'roots[0].colour: unknown field'],
  ])('reports a bad %s (%j)', (field, value, want) => {
    expect(lines({ roots: [{ ...makeRoot(1), [field]: value }] })).toEqual([want]);
  });

  it('reports duplicates at the later entry, naming the earlier one', () => {
    const a = makeRoot(1, { name: 'aws-east' });
    const b = makeRoot(2, { id: 1, name: 'aws-east', internetAddress: a.internetAddress, overlay: a.overlay });
    expect(lines({ roots: [a, b] })).toEqual([
      'roots[1].id: 1 is already used by roots[0] "aws-east"',
      'roots[1].name: "aws-east" is already used by roots[0] "aws-east"',
      'roots[1].internetAddress: "203.0.0.1" is already used by roots[0] "aws-east"',
      'roots[1].overlay: 10.1.0.0/16 overlaps roots[0] "aws-east" (10.1.0.0/16)',
    ]);
  });

  it('refuses an internet address inside any overlay, its own included', () => {
    expect(lines({ roots: [makeRoot(1, { internetAddress: '10.1.2.3' })] })).toEqual([
      'roots[0].internetAddress: 10.1.2.3 lies inside the overlay of roots[0] "cloud-1" (10.1.0.0/16); an internet address must be outside every overlay',
    ]);
  });

  it('checks tunnels: distinct ends, existing roots, no duplicate in either direction', () => {
    const roots = [makeRoot(1), makeRoot(2)];
    expect(lines({ roots, tunnels: [{ a: 1, b: 2 }, { a: 2, b: 1 }, { a: 1, b: 1 }, { a: 1, b: 3 }, { a: 1 }, 'x'] })).toEqual([
      'tunnels[1]: tunnel 2-1 already exists at tunnels[0]',
      'tunnels[2]: joins root 1 to itself; a tunnel joins two distinct roots',
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
