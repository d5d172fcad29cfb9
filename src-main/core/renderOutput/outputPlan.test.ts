import { describe, expect, it } from 'vitest';
import { planOutput } from './outputPlan.ts';

const node1 = ['root-1/vyos.set', 'root-1/pki/ca.crt'];
const node2 = ['root-2/vyos.set', 'root-2/pki/ca.crt'];

describe('planOutput', () => {
  it.each([
    {
      what: 'a new or empty folder: everything is new, nothing goes',
      folder: { existing: [], recorded: null },
      wanted: ['control-ca.crt', ...node1],
      plan: { write: ['control-ca.crt', ...node1], created: 3, remove: [], emptied: [], kept: [] },
    },
    {
      what: 'a render over its own output: rewrites, creates what is new',
      folder: { existing: ['control-ca.crt', ...node1], recorded: ['control-ca.crt', ...node1] },
      wanted: ['control-ca.crt', ...node1, ...node2],
      plan: { write: ['control-ca.crt', ...node1, ...node2], created: 2, remove: [], emptied: [], kept: [] },
    },
    {
      what: 'a node that left: its files go, with its folder',
      folder: { existing: [...node1, ...node2, 'clients/c-2-1.ovpn'], recorded: [...node1, ...node2, 'clients/c-2-1.ovpn'] },
      wanted: node1,
      plan: { write: node1, created: 0, remove: ['clients/c-2-1.ovpn', ...node2].sort(), emptied: ['clients', 'root-2'], kept: [] },
    },
    {
      what: 'a node that left, holding a file the user put there: that file and its folder stay',
      folder: { existing: [...node1, ...node2, 'root-2/important.txt'], recorded: [...node1, ...node2] },
      wanted: node1,
      plan: { write: node1, created: 0, remove: [...node2].sort(), emptied: ['root-2'], kept: ['root-2/important.txt'] },
    },
    {
      what: 'files the user added beside a node that stays, or at the top: untouched and not reported',
      folder: { existing: [...node1, 'root-1/notes.txt', 'README'], recorded: node1 },
      wanted: ['root-1/vyos.set'],
      plan: { write: ['root-1/vyos.set'], created: 0, remove: ['root-1/pki/ca.crt'], emptied: [], kept: [] },
    },
    {
      what: 'a recorded file someone already deleted: nothing to remove',
      folder: { existing: node1, recorded: [...node1, ...node2] },
      wanted: node1,
      plan: { write: node1, created: 0, remove: [], emptied: [], kept: [] },
    },
  ])('$what', ({ folder, wanted, plan }) => {
    expect(planOutput(folder, wanted)).toEqual({ ok: true, plan });
  });

  it.each([
    {
      what: 'a folder with files and no record of a render',
      folder: { existing: ['root-9/important.txt'], recorded: null },
      reason: 'holds files that no render wrote (root-9/important.txt); render into a new or empty folder',
    },
    {
      what: 'many such files, named by the first three',
      folder: { existing: ['e', 'd', 'c', 'b', 'a'], recorded: null },
      reason: 'holds files that no render wrote (a, b, c and 2 more); render into a new or empty folder',
    },
    {
      what: 'a file render would write over that it did not write',
      folder: { existing: [...node1, 'root-2/vyos.set'], recorded: node1 },
      reason: 'render would write over root-2/vyos.set, which no render wrote; move it away first',
    },
  ])('refuses $what', ({ folder, reason }) => {
    expect(planOutput(folder, [...node1, ...node2])).toEqual({ ok: false, reason });
  });
});
