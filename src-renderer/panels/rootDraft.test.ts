import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { changedFields, draftProblems, editedFields, editStillStands, fieldsOf, nattedAfterTick, sameSelection } from './rootDraft.ts';

const root = (id: number, name: string) => ({ id, name, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 100, cloud: { provider: 'ec2' as const, natted: false } });
const topology: Topology = { roots: [root(1, 'aws-east'), root(2, 'euca-lab')], tunnels: [{ a: 1, b: 2 }] };
const draft = { id: 3, name: '', internetAddress: '', overlay: '10.3.0.0/16', maxClients: 100, cloud: { provider: 'existing' as const } };

describe('a root form as data', () => {
  it('reads a root’s fields as text and gives them back as the root’s, keeping what the form does not show', () => {
    const fields = { ...fieldsOf(root(2, 'euca-lab')), overlay: ' 10.9.0.0/16 ', maxClients: '12', provider: 'azure' as const };
    expect(editedFields(root(2, 'euca-lab'), fields)).toEqual({ name: 'euca-lab', internetAddress: '203.0.113.2', overlay: '10.9.0.0/16', maxClients: 12, cloud: { provider: 'azure', natted: false } });
    expect(editedFields(root(2, 'euca-lab'), { ...fields, maxClients: 'many' }).maxClients).toBe('many');
  });

  it.each([
    { what: 'nothing', change: {}, want: [] },
    { what: 'the overlay', change: { overlay: '10.9.0.0/16' }, want: ['overlay'] },
    { what: 'max clients and the cloud', change: { maxClients: '7', provider: 'gcp' as const }, want: ['maxClients', 'cloud'] },
  ])('knows which fields changed: $what', ({ change, want }) => {
    expect(changedFields(root(1, 'aws-east'), { ...fieldsOf(root(1, 'aws-east')), ...change })).toEqual(want);
  });

  it.each([
    { what: 'ticked on a cloud that NATs anyway: its way', provider: 'azure' as const, ticked: true, natted: undefined },
    { what: 'unticked on a cloud that NATs: said', provider: 'ec2' as const, ticked: false, natted: false },
    { what: 'ticked on any other host: said', provider: 'existing' as const, ticked: true, natted: true },
    { what: 'unticked on-premises: its way', provider: 'on-premises' as const, ticked: false, natted: undefined },
  ])('keeps the NAT answer only where it differs from the cloud’s way: $what', ({ provider, ticked, natted }) => {
    expect(nattedAfterTick(provider, ticked)).toBe(natted);
    const fields = { ...fieldsOf(draft), provider, natted: nattedAfterTick(provider, ticked) };
    expect(editedFields(draft, fields).cloud).toEqual(natted === undefined ? { provider } : { provider, natted });
  });

  it('counts a NAT answer as a change of the cloud, once', () => {
    const fields = fieldsOf(root(1, 'aws-east'));
    expect(changedFields(root(1, 'aws-east'), { ...fields, natted: undefined })).toEqual(['cloud']);
    expect(changedFields(root(1, 'aws-east'), { ...fields, natted: true, provider: 'gcp' })).toEqual(['cloud']);
  });

  it('finds the shared validation’s problems by field, for an edited root and for a new one', () => {
    expect(draftProblems(topology, 1, { ...root(2, 'euca-lab'), overlay: '10.1.0.0/16' })).toEqual({ overlay: ['10.1.0.0/16 overlaps the overlay of root 1 (aws-east)'] });
    expect(draftProblems(topology, 2, { ...draft, name: 'aws-east', internetAddress: '203.0.113.9' })).toEqual({ name: ['"aws-east" is already used by root 1 (aws-east)'] });
    expect(draftProblems(topology, 2, { ...draft, name: 'gcp', internetAddress: '203.0.113.9' })).toEqual({});
  });

  it.each([
    { a: { kind: 'root', id: 1 } as const, b: { kind: 'root', id: 1 } as const, same: true },
    { a: { kind: 'root', id: 1 } as const, b: { kind: 'root', id: 2 } as const, same: false },
    { a: { kind: 'tunnel', a: 1, b: 2 } as const, b: { kind: 'tunnel', a: 2, b: 1 } as const, same: true },
    { a: { kind: 'none' } as const, b: { kind: 'none' } as const, same: true },
    { a: { kind: 'new-root', draft } as const, b: { kind: 'new-root', draft: { ...draft } } as const, same: true },
    { a: { kind: 'new-root', draft } as const, b: { kind: 'root', id: 3 } as const, same: false },
  ])('tells selections apart: $a.kind and $b.kind → $same', ({ a, b, same }) => {
    expect(sameSelection(a, b)).toBe(same);
  });

  it.each([
    { what: 'a root still there', selection: { kind: 'root', id: 1 } as const, stands: true },
    { what: 'a root deleted', selection: { kind: 'root', id: 9 } as const, stands: false },
    { what: 'a new root not yet added', selection: { kind: 'new-root', draft } as const, stands: true },
    { what: 'a new root just added', selection: { kind: 'new-root', draft: { ...draft, id: 2 } } as const, stands: false },
    { what: 'a tunnel', selection: { kind: 'tunnel', a: 1, b: 2 } as const, stands: false },
  ])('knows whether an edit still has somewhere to go: $what', ({ selection, stands }) => {
    expect(editStillStands(topology, selection)).toBe(stands);
  });
});
