import { describe, expect, it } from 'vitest';
import type { LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import { lockProgressEvents } from './lockProgressEvents.ts';

const progress = (acknowledged: number, expected: number, waitingFor: number[], phase: LoginProgress['phase'] = 'waiting'): LoginProgress => ({
  loginId: 'login-0123456789',
  phase,
  acknowledged,
  expected,
  waitingFor,
});

describe('lockProgressEvents', () => {
  it.each([
    ['the entry root, at once, at login', undefined, progress(1, 3, [2, 3]), [['acknowledged', 'root-1', 1, 3]]],
    ['one root acknowledging', progress(1, 3, [2, 3]), progress(2, 3, [3]), [['acknowledged', 'root-2', 2, 3]]],
    ['the last two acknowledging together, each with its count', progress(1, 3, [2, 3]), progress(3, 3, [], 'active'), [['acknowledged', 'root-2', 2, 3], ['acknowledged', 'root-3', 3, 3]]],
    ['nothing new', progress(2, 3, [3]), progress(2, 3, [3]), []],
    ['a root taken for down', progress(1, 3, [2, 3]), progress(1, 2, [2]), [['no-longer-awaited', 'root-3', 1, 2]]],
    ['a root coming up', progress(2, 2, [], 'waiting'), progress(2, 3, [4]), [['awaiting', 'root-4', 2, 3]]],
    ['a root acknowledging while another comes up', progress(1, 2, [2]), progress(2, 3, [3]), [['acknowledged', 'root-2', 2, 3], ['awaiting', 'root-3', 2, 3]]],
    ['one acknowledging while another goes down: cannot say which', progress(1, 3, [2, 3]), progress(2, 2, [], 'active'), [['no-longer-awaited', 'root-2', 2, 2], ['no-longer-awaited', 'root-3', 2, 2]]],
  ] as const)('%s', (_, previous, next, expected) => {
    const events = lockProgressEvents(previous, next, 'root-1');
    expect(events.map((e) => [e.type, e.root, e.acknowledged, e.expected])).toEqual(expected);
    expect(events.every((e) => e.progress === next)).toBe(true);
  });
});
