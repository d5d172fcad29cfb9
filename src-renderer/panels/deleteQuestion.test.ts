import { describe, expect, it } from 'vitest';
import type { PendingChanges } from '../../src-shared/contract/contract.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { deleteQuestion } from './deleteQuestion.ts';

const root = (id: number, name: string, maxClients: number) => ({ id, name, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients });
const topology: Topology = { roots: [root(1, 'aws-east', 250), root(2, 'euca-lab', 120), root(3, 'on-prem', 40)], tunnels: [{ a: 1, b: 2 }, { a: 3, b: 1 }] };
const plan = planAddresses(topology);
const deployed: PendingChanges = { deployed: true, roots: { added: [3], changed: [], moved: [], deleted: [] }, tunnels: { added: [{ a: 1, b: 3 }], deleted: [] }, count: 2 };

describe('deleteQuestion', () => {
  it('names a root’s leaves, clients and every tunnel that goes with it, and says it stays until the deploy', () => {
    expect(deleteQuestion(topology, plan, deployed, { kind: 'root', id: 1 })).toEqual({
      title: 'Delete aws-east?',
      message:
        'Root aws-east (10.1.0.0/16) leaves the pending topology with its 3 leaves (room for 250 clients) and its 2 tunnels to euca-lab and on-prem. They stay on the overlay, struck through, until the next deploy removes them; then every client machine connected through aws-east loses the overlay. Undo brings them back.',
      confirmLabel: 'Delete root',
      command: { kind: 'deleteRoot', id: 1 },
    });
  });

  it.each([
    { id: 3, want: 'Root on-prem (10.3.0.0/16) leaves the pending topology with its 1 leaf (room for 40 clients) and its tunnel to aws-east. Undo brings them back.' },
  ])('says nothing of the overlay for a root not deployed yet (root $id)', ({ id, want }) => {
    expect(deleteQuestion(topology, plan, deployed, { kind: 'root', id })?.message).toBe(want);
  });

  it('asks about a tunnel in either direction, and says when it is on the overlay', () => {
    const question = deleteQuestion(topology, plan, deployed, { kind: 'tunnel', a: 2, b: 1 });
    expect(question?.title).toBe('Delete the tunnel euca-lab ↔ aws-east?');
    expect(question?.message).toContain('It stays on the overlay, struck through, until the next deploy removes it');
    expect(question?.command).toEqual({ kind: 'deleteTunnel', a: 2, b: 1 });
    expect(deleteQuestion(topology, plan, deployed, { kind: 'tunnel', a: 1, b: 3 })?.message).toBe('The tunnel between aws-east and on-prem leaves the pending topology. Undo brings it back.');
  });

  it.each([
    { what: 'nothing selected', selection: { kind: 'none' } as const },
    { what: 'a root that is gone', selection: { kind: 'root', id: 9 } as const },
    { what: 'a tunnel that is not there', selection: { kind: 'tunnel', a: 2, b: 3 } as const },
  ])('asks nothing for $what', ({ selection }) => {
    expect(deleteQuestion(topology, plan, deployed, selection)).toBeNull();
  });
});
