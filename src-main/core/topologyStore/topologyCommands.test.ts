import { describe, expect, it } from 'vitest';
import type { TopologyCommand } from '../../../src-shared/contract/contract.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { applyCommand, cancelChanges } from './topologyCommands.ts';

const east = makeRoot(1, { name: 'aws-east', position: { x: 0, y: 0 } });
const west = makeRoot(2, { name: 'aws-west' });
const prem = makeRoot(3, { name: 'on-prem' });
const old = makeRoot(4, { name: 'old-dc' });
const pending: Topology = { roots: [east, west, prem], tunnels: [{ a: 1, b: 2 }, { a: 3, b: 1 }] };
/** Root 4 and tunnel 2–4 are deleted but still deployed. */
const deployed: Topology = { roots: [east, west, prem, old], tunnels: [{ a: 1, b: 2 }, { a: 2, b: 4 }] };
const state = { pending, deployed };

describe('applyCommand', () => {
  it.each<{ command: TopologyCommand; want: Topology }>([
    { command: { kind: 'addRoot', root: makeRoot(5) }, want: { ...pending, roots: [east, west, prem, makeRoot(5)] } },
    { command: { kind: 'moveRoot', id: 2, position: { x: 10.6, y: -3.2 } }, want: { ...pending, roots: [east, { ...west, position: { x: 11, y: -3 } }, prem] } },
    { command: { kind: 'editRoot', id: 3, changes: { name: 'dc-3', maxClients: 40 } }, want: { ...pending, roots: [east, west, { ...prem, name: 'dc-3', maxClients: 40 }] } },
    { command: { kind: 'editRoot', id: 3, changes: { id: 3, cloud: { provider: 'ec2' } } }, want: { ...pending, roots: [east, west, { ...prem, cloud: { provider: 'ec2' } }] } },
    { command: { kind: 'deleteRoot', id: 1 }, want: { roots: [west, prem], tunnels: [] } },
    { command: { kind: 'addTunnel', a: 2, b: 3 }, want: { ...pending, tunnels: [...pending.tunnels, { a: 2, b: 3 }] } },
    { command: { kind: 'deleteTunnel', a: 1, b: 3 }, want: { ...pending, tunnels: [{ a: 1, b: 2 }] } },
    { command: { kind: 'deleteTunnel', a: 2, b: 1 }, want: { ...pending, tunnels: [{ a: 3, b: 1 }] } },
  ])('$command.kind makes the next pending topology ($command)', ({ command, want }) => {
    expect(applyCommand(state, command)).toEqual({ ok: true, topology: want });
  });

  const unchanged = 'the pending topology is unchanged';
  it.each<{ command: TopologyCommand; reason: string; problems?: Array<{ path: string; message: string }> }>([
    { command: { kind: 'addTunnel', a: 2, b: 2 }, reason: 'root 2 (aws-west) cannot have a tunnel to itself: a tunnel joins two different roots' },
    { command: { kind: 'deleteTunnel', a: 1, b: 1 }, reason: 'root 1 (aws-east) cannot have a tunnel to itself: a tunnel joins two different roots' },
    { command: { kind: 'addTunnel', a: 9, b: 9 }, reason: 'root 9 cannot have a tunnel to itself: a tunnel joins two different roots' },
    { command: { kind: 'addTunnel', a: 1, b: 9 }, reason: 'root 9 does not exist' },
    { command: { kind: 'addTunnel', a: 2, b: 1 }, reason: 'there is already a tunnel between root 2 (aws-west) and root 1 (aws-east)' },
    { command: { kind: 'addTunnel', a: 1, b: 2 }, reason: 'there is already a tunnel between root 1 (aws-east) and root 2 (aws-west)' },
    { command: { kind: 'addTunnel', a: 4, b: 1 }, reason: 'root 4 (old-dc) is deleted: it stays deployed, struck through, until the next deploy removes it' },
    { command: { kind: 'deleteTunnel', a: 2, b: 3 }, reason: 'there is no tunnel between root 2 (aws-west) and root 3 (on-prem)' },
    { command: { kind: 'deleteTunnel', a: 9, b: 3 }, reason: 'root 9 does not exist' },
    { command: { kind: 'moveRoot', id: 9, position: { x: 0, y: 0 } }, reason: 'root 9 does not exist' },
    { command: { kind: 'deleteRoot', id: 9 }, reason: 'root 9 does not exist' },
    { command: { kind: 'deleteRoot', id: 4 }, reason: 'root 4 (old-dc) is deleted: it stays deployed, struck through, until the next deploy removes it' },
    { command: { kind: 'editRoot', id: 9, changes: { name: 'x' } }, reason: 'root 9 does not exist' },
    { command: { kind: 'editRoot', id: 2, changes: { id: 7 } }, reason: "root 2 (aws-west) keeps its id: a root's id never changes" },
    {
      command: { kind: 'editRoot', id: 2, changes: { overlay: '10.1.0.0/16', colour: 'red' } },
      reason: `root 2 (aws-west) not saved: 2 problems; ${unchanged}`,
      problems: [
        { path: 'roots[1].colour', message: 'unknown field' },
        { path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps the overlay of root 1 (aws-east)' },
      ],
    },
    { command: { kind: 'addRoot', root: makeRoot(4) }, reason: 'id 4 still belongs to root 4 (old-dc), deleted but deployed until the next deploy removes it' },
    {
      command: { kind: 'addRoot', root: { ...makeRoot(5), name: '', maxClients: 'abc' } },
      reason: `the new root not added: 2 problems; ${unchanged}`,
      problems: [
        { path: 'roots[3].name', message: 'expected a name of 1 to 63 printable characters, found ""' },
        { path: 'roots[3].maxClients', message: 'expected an integer from 1 to 50400 (what the address plan holds in a /16), found "abc"' },
      ],
    },
    {
      command: { kind: 'addRoot', root: makeRoot(1, { name: 'again', internetAddress: '198.51.100.1', overlay: '10.9.0.0/16' }) },
      reason: `root 1 (again) not added: 1 problem; ${unchanged}`,
      problems: [{ path: 'roots[3].id', message: '1 is already used by root 1 (aws-east)' }],
    },
    {
      command: { kind: 'addRoot', root: 'a root' },
      reason: `the new root not added: 1 problem; ${unchanged}`,
      problems: [{ path: 'roots[3]', message: 'expected a root object, found "a root"' }],
    },
  ])('refuses $command.kind in words that name it: $reason', ({ command, reason, problems = [] }) => {
    expect(applyCommand(state, command)).toEqual({ ok: false, reason, problems });
  });

  it('refuses what it cannot find also when nothing is deployed', () => {
    expect(applyCommand({ pending, deployed: null }, { kind: 'deleteRoot', id: 4 })).toEqual({ ok: false, reason: 'root 4 does not exist', problems: [] });
  });
});

describe('cancelChanges', () => {
  it('gives back the deployed topology', () => {
    expect(cancelChanges(state)).toEqual({ ok: true, topology: deployed });
  });

  it('counts a moved root as a change', () => {
    const moved = { ...deployed, roots: deployed.roots.map((r) => (r.id === 1 ? { ...r, position: { x: 5, y: 0 } } : r)) };
    expect(cancelChanges({ pending: moved, deployed })).toEqual({ ok: true, topology: deployed });
  });

  it.each([
    { what: 'nothing is deployed', at: { pending, deployed: null }, reason: 'nothing is deployed yet, so there is no deployed topology to go back to' },
    { what: 'nothing is pending', at: { pending: deployed, deployed }, reason: 'no pending changes: the pending topology is the deployed one' },
    {
      what: 'only tunnel ends are swapped',
      at: { pending: { ...deployed, tunnels: [{ a: 2, b: 1 }, { a: 4, b: 2 }] }, deployed },
      reason: 'no pending changes: the pending topology is the deployed one',
    },
  ])('is refused when $what', ({ at, reason }) => {
    expect(cancelChanges(at)).toEqual({ ok: false, reason, problems: [] });
  });
});
