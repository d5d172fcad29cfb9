import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import type { DeployedNode, NodeFile } from './deployedRecord.ts';
import { nodesToApply, planDeploy, vyosLines } from './deployPlan.ts';

const file = (text: string, digestOf = text): NodeFile => ({ digest: createHash('sha256').update(digestOf).digest('hex'), mode: 0o644, text });
const node = (backend: DeployedNode['backend'], files: Record<string, NodeFile>): DeployedNode => ({ backend, files });
const topology = (tunnels: Array<{ a: number; b: number }>) => ({ roots: [makeRoot(1), makeRoot(2), makeRoot(3)], tunnels });

describe('the plan of a deploy', () => {
  const before = {
    'root-1': node('dry-run', { 'swanctl.conf': file('a\nb\n'), 'pki/ca.crt': file('CA\n') }),
    'root-2': node('dry-run', { 'swanctl.conf': file('x\n') }),
    'leaf-2-1': node('dry-run', { 'openvpn/uplink-client.conf': file('u\n') }),
  };

  it('says of each node whether it is added, changed, unchanged or removed, with each changed file\'s diff', () => {
    const plan = planDeploy({
      previous: { topology: topology([{ a: 1, b: 2 }, { a: 2, b: 3 }]), nodes: before },
      topology: topology([{ a: 1, b: 2 }]),
      next: {
        'root-1': node('dry-run', { 'swanctl.conf': file('a\nB\n'), 'pki/new.key': file('[secret]\n') }),
        'root-2': node('dry-run', { 'swanctl.conf': file('x\n') }),
        'root-3': node('dry-run', { 'swanctl.conf': file('y\n') }),
      },
      keys: ['root-3: its cloud\'s OpenVPN CA, uplink server certificate and tls-crypt key'],
    });
    expect(plan.nodes).toEqual([
      {
        node: 'root-1',
        change: 'changed',
        backend: 'dry-run',
        files: [
          { path: 'pki/ca.crt', change: 'removed', diff: ['@@ -1,1 +0,0 @@', '-CA'] },
          { path: 'pki/new.key', change: 'added', diff: ['@@ -0,0 +1,1 @@', '+[secret]'] },
          { path: 'swanctl.conf', change: 'changed', diff: ['@@ -1,2 +1,2 @@', ' a', '-b', '+B'] },
        ],
      },
      { node: 'root-2', change: 'unchanged', backend: 'dry-run', files: [] },
      { node: 'leaf-2-1', change: 'removed', backend: 'dry-run', files: [] },
      { node: 'root-3', change: 'added', backend: 'dry-run', files: [{ path: 'swanctl.conf', change: 'added', diff: ['@@ -0,0 +1,1 @@', '+y'] }] },
    ]);
    expect(plan.removedTunnels).toEqual([{ a: 2, b: 3, name: 'tunnel-2-3' }]);
    expect(plan.keys).toHaveLength(1);
    expect(nodesToApply(plan)).toEqual(['root-1', 'root-3']);
  });

  it('counts a file whose secrets changed as changed, though its text with them replaced is the same', () => {
    const plan = planDeploy({
      previous: { topology: topology([]), nodes: { 'root-1': node('dry-run', { 'swanctl.conf': file('secret [secret]\n', 'secret one') }) } },
      topology: topology([]),
      next: { 'root-1': node('dry-run', { 'swanctl.conf': file('secret [secret]\n', 'secret two') }) },
      keys: [],
    });
    expect(plan.nodes[0]).toMatchObject({ change: 'changed', files: [{ path: 'swanctl.conf', change: 'changed', diff: [] }] });
  });

  it('counts a node moved to another backend as changed', () => {
    const files = { 'swanctl.conf': file('x\n') };
    const plan = planDeploy({ previous: { topology: topology([]), nodes: { 'root-1': node('dry-run', files) } }, topology: topology([]), next: { 'root-1': node('linux', files) }, keys: [] });
    expect(plan.nodes[0]!.change).toBe('changed');
  });

  it('lists a VyOS node\'s set and delete lines, and a first deploy as every node added', () => {
    const plan = planDeploy({
      previous: undefined,
      topology: topology([]),
      next: { 'root-1': node('vyos', { 'vyos.set': file("set a b 'c'\nset d\n") }) },
      keys: [],
    });
    expect(plan.nodes).toEqual([
      { node: 'root-1', change: 'added', backend: 'vyos', files: [{ path: 'vyos.set', change: 'added', diff: ['@@ -0,0 +1,2 @@', "+set a b 'c'", '+set d'] }], commands: ["set a b 'c'", 'set d'] },
    ]);
  });
});

describe('VyOS lines', () => {
  it.each([
    { name: 'nothing changed', before: "set a 'x'\n", after: "set a 'x'\n", lines: [] },
    { name: 'a value changed: set again, no delete', before: "set a 'x'\n", after: "set a 'y'\n", lines: ["set a 'y'"] },
    { name: 'a path gone: deleted without its value', before: "set a 'x'\nset b c 'z'\n", after: "set a 'x'\n", lines: ['delete b c'] },
    { name: 'a flag gone', before: 'set a disable\n', after: '', lines: ['delete a disable'] },
    { name: 'a new line', before: '', after: "set p q 'r'\n", lines: ["set p q 'r'"] },
  ])('$name', ({ before, after, lines }) => {
    expect(vyosLines(before, after)).toEqual(lines);
  });
});
