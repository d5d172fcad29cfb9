import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { TopologyDiff } from '../diff/diffTopologies.ts';
import type { AddressPlan } from '../plan/planAddresses.ts';
import type { Topology } from '../topology/schemas.ts';
import type { Problem as ValidationProblem } from '../validation/zodProblems.ts';
import type { Api, CallInput, CallOutput, EventPayload, TopologyCommand, TopologyState ,
  AddressPlanSchema,
  ProblemSchema,
  TopologyDiffSchema,
  ValidTopologySchema} from './contract.ts';
import {
  calls,
  callNames,
  events,
  eventNames,
  isCallName,
  isEventName
} from './contract.ts';
import type { ReplySchema } from './socketMessages.ts';
import type { Reply } from './transport.ts';

describe('contract types', () => {
  it('carries the shared model types unchanged', () => {
    expectTypeOf<z.output<typeof ValidTopologySchema>>().toEqualTypeOf<Topology>();
    expectTypeOf<z.output<typeof AddressPlanSchema>>().toEqualTypeOf<AddressPlan>();
    expectTypeOf<z.output<typeof TopologyDiffSchema>>().toEqualTypeOf<TopologyDiff>();
    expectTypeOf<z.output<typeof ProblemSchema>>().toEqualTypeOf<ValidationProblem>();
    expectTypeOf<z.output<typeof ReplySchema>>().toEqualTypeOf<Reply>();
  });

  it('gives each call the input and output it declares', () => {
    expectTypeOf<Api['topology.get']>().toEqualTypeOf<(input: void) => Promise<TopologyState>>();
    expectTypeOf<CallInput<'topology.save'>>().toEqualTypeOf<{ topology: unknown }>();
    expectTypeOf<CallInput<'topology.open'>>().toEqualTypeOf<{ path: string }>();
    expectTypeOf<CallOutput<'topology.save'>>().toEqualTypeOf<
      { ok: true; state: TopologyState } | { ok: false; reason: string; problems: ValidationProblem[] }
    >();
    expectTypeOf<CallOutput<'topology.undo'>>().toEqualTypeOf<{ undone: boolean; state: TopologyState }>();
    expectTypeOf<CallOutput<'topology.redo'>>().toEqualTypeOf<{ redone: boolean; state: TopologyState }>();
    expectTypeOf<CallInput<'topology.command'>>().toEqualTypeOf<TopologyCommand>();
    expectTypeOf<CallOutput<'topology.command'>>().toEqualTypeOf<CallOutput<'topology.save'>>();
    expectTypeOf<CallOutput<'topology.cancelChanges'>>().toEqualTypeOf<CallOutput<'topology.save'>>();
    expectTypeOf<TopologyState['changes']['roots']['deleted']>().toEqualTypeOf<Topology['roots']>();
    expectTypeOf<CallOutput<'topology.diff'>>().toEqualTypeOf<{ deployed: boolean; diff: TopologyDiff }>();
    expectTypeOf<EventPayload<'topology.didChange'>>().toEqualTypeOf<TopologyState>();
  });
});

describe('contract declaration', () => {
  it('lists every call and event by name', () => {
    // The overlay's and the audit's calls follow, from their own files.
    expect(callNames.filter((name) => name.startsWith('topology.'))).toEqual([
      'topology.get',
      'topology.save',
      'topology.command',
      'topology.open',
      'topology.undo',
      'topology.redo',
      'topology.cancelChanges',
      'topology.diff',
    ]);
    expect(eventNames.filter((name) => name.startsWith('topology.'))).toEqual(['topology.didChange']);
  });

  it.each([
    { name: 'topology.get', call: true },
    { name: 'topology.didChange', call: false },
    { name: 'toString', call: false },
    { name: '__proto__', call: false },
    { name: 42, call: false },
  ])('isCallName($name) is $call', ({ name, call }) => {
    expect(isCallName(name)).toBe(call);
  });

  it('tells events from calls', () => {
    expect(isEventName('topology.didChange')).toBe(true);
    expect(isEventName('topology.get')).toBe(false);
    expect(isEventName('constructor')).toBe(false);
  });

  it.each([
    { name: 'topology.get', input: undefined, ok: true },
    { name: 'topology.get', input: { sneaky: 1 }, ok: false },
    { name: 'topology.save', input: { topology: 'anything at all' }, ok: true },
    { name: 'topology.save', input: {}, ok: false },
    { name: 'topology.save', input: null, ok: false },
    { name: 'topology.open', input: { path: '/tmp/t.json' }, ok: true },
    { name: 'topology.open', input: { path: '' }, ok: false },
    { name: 'topology.open', input: { path: 7 }, ok: false },
    { name: 'topology.command', input: { kind: 'addRoot', root: 'anything at all' }, ok: true },
    { name: 'topology.command', input: { kind: 'addTunnel', a: 1, b: 2 }, ok: true },
    { name: 'topology.command', input: { kind: 'addTunnel', a: 1, b: 0 }, ok: false },
    { name: 'topology.command', input: { kind: 'editRoot', id: 1, changes: { name: 'x' } }, ok: true },
    { name: 'topology.command', input: { kind: 'editRoot', id: 1, changes: 'x' }, ok: false },
    { name: 'topology.command', input: { kind: 'moveRoot', id: 1, position: { x: 1.5, y: -2 } }, ok: true },
    { name: 'topology.command', input: { kind: 'moveRoot', id: 1, position: { x: 1 } }, ok: false },
    { name: 'topology.command', input: { kind: 'renameOverlay' }, ok: false },
    { name: 'topology.cancelChanges', input: undefined, ok: true },
  ] as const)('$name accepts $input: $ok', ({ name, input, ok }) => {
    expect(calls[name].input.safeParse(input).success).toBe(ok);
  });

  it('keeps every event payload a full topology state', () => {
    expect(events['topology.didChange'].safeParse({ topology: { roots: [], tunnels: [] } }).success).toBe(false);
  });
});
