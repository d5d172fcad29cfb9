import { describe, expect, it, vi } from 'vitest';
import type { TopologyState } from '../../../src-shared/contract/contract.ts';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { Core, Emit, Handlers } from './serve.ts';
import { serve } from './serve.ts';

const empty = { roots: [], tunnels: [] };
const changes = { deployed: false, roots: { added: [], changed: [], moved: [], deleted: [] }, tunnels: { added: [], deleted: [] }, count: 0 };
const state: TopologyState = { topology: empty, plan: planAddresses(empty), changes, revision: 0, canUndo: false, canRedo: false, storedIn: '/s.json', recovery: null };

function fakeCore(overrides: Partial<Handlers> = {}): Core & { emit: Emit } {
  let emit: Emit = () => undefined;
  return {
    handlers: {
      'topology.get': async () => state,
      'topology.save': async () => ({ ok: false, reason: 'no', problems: [] }),
      'topology.open': async ({ path }) => ({ ok: false, reason: `${path}: cannot read`, problems: [] }),
      'topology.undo': async () => ({ undone: false, state }),
      'topology.diff': async () => {
        throw new Error('disk on fire');
      },
      ...overrides,
    } as Handlers,
    subscribe(e) {
      emit = e;
      return () => (emit = () => undefined);
    },
    emit: (event, payload) => emit(event, payload),
  };
}

describe('serve', () => {
  it.each([
    { what: 'a call', name: 'topology.get', input: undefined, want: { ok: true, value: state } },
    { what: 'a call with input', name: 'topology.open', input: { path: '/x' }, want: { ok: true, value: { ok: false, reason: '/x: cannot read', problems: [] } } },
    { what: 'an unknown name', name: 'topology.nuke', input: undefined, want: { ok: false, error: { code: 'unknown-call', message: 'no call named "topology.nuke"' } } },
    { what: 'an inherited name', name: 'hasOwnProperty', input: undefined, want: { ok: false, error: { code: 'unknown-call' } } },
    { what: 'a bad input', name: 'topology.open', input: { path: 3 }, want: { ok: false, error: { code: 'bad-input', message: expect.stringMatching(/^topology.open: path: /) } } },
    { what: 'input where none belongs', name: 'topology.get', input: { x: 1 }, want: { ok: false, error: { code: 'bad-input' } } },
    { what: 'a core that throws', name: 'topology.diff', input: undefined, want: { ok: false, error: { code: 'internal', message: 'topology.diff failed: disk on fire' } } },
  ])('answers $what', async ({ name, input, want }) => {
    const logError = vi.fn();
    const reply = await serve(fakeCore(), { logError }).dispatch(name, input);
    expect(reply).toMatchObject(want);
    expect(logError).toHaveBeenCalledTimes(name === 'topology.diff' ? 1 : 0);
  });

  it('refuses output the contract does not allow, and strips fields it does not declare', async () => {
    const logError = vi.fn();
    const wrong = fakeCore({ 'topology.get': async () => ({ ...state, revision: -1 }) });
    expect(await serve(wrong, { logError }).dispatch('topology.get', undefined)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'topology.get returned output the contract does not allow' },
    });
    expect(logError).toHaveBeenCalledOnce();
    const leaky = fakeCore({ 'topology.get': async () => ({ ...state, secret: 'hunter2' }) });
    expect(await serve(leaky).dispatch('topology.get', undefined)).toEqual({ ok: true, value: state });
  });

  it('passes on events that match the contract and drops the rest', () => {
    const core = fakeCore();
    const logError = vi.fn();
    const heard: unknown[] = [];
    const stop = serve(core, { logError }).subscribe((event, payload) => heard.push([event, payload]));
    core.emit('topology.didChange', state);
    core.emit('topology.didChange', { ...state, plan: null } as unknown as TopologyState);
    stop();
    core.emit('topology.didChange', state);
    expect(heard).toEqual([['topology.didChange', state]]);
    expect(logError).toHaveBeenCalledOnce();
  });
});
