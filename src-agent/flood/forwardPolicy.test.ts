import { describe, expect, it } from 'vitest';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { mayOriginate, overlayShouldSend } from './forwardPolicy.ts';

const message = (type: FloodMessage['type'], origin: string) => ({ type, origin }) as FloodMessage;

describe('overlayShouldSend', () => {
  it.each([
    ['a leaf heartbeat to its root', message('heartbeat', 'leaf-2-1'), 'root-2', true],
    ['a leaf heartbeat on to another root', message('heartbeat', 'leaf-2-1'), 'root-3', false],
    ['a leaf heartbeat on to a sibling leaf', message('heartbeat', 'leaf-2-1'), 'leaf-2-2', false],
    ['a root heartbeat to a root', message('heartbeat', 'root-2'), 'root-3', true],
    ['a root heartbeat to a leaf', message('heartbeat', 'root-2'), 'leaf-2-1', false],
    ['an administrator request to a leaf', message('i_have_administrator', 'root-2'), 'leaf-2-1', false],
    ['an acknowledgement to a root', message('acknowledge_administrator', 'root-3'), 'root-2', true],
    ['a lost administrator to a leaf', message('i_lost_administrator', 'root-2'), 'leaf-3-1', false],
    ['a deploy to a leaf', message('deploy', 'root-2'), 'leaf-3-1', true],
    ['a deploy to a root', message('deploy', 'root-2'), 'root-3', true],
    ['a confirmation to a leaf', message('confirm_deploy', 'root-1'), 'leaf-1-4', true],
  ])('%s: %s', (_, msg, to, expected) => {
    expect(overlayShouldSend(msg, to)).toBe(expected);
  });
});

describe('mayOriginate', () => {
  it.each([
    ['a leaf its heartbeat', message('heartbeat', 'leaf-2-1'), true],
    ['a leaf a deploy', message('deploy', 'leaf-2-1'), false],
    ['a leaf a confirmation', message('confirm_deploy', 'leaf-2-1'), false],
    ['a leaf an administrator claim', message('i_have_administrator', 'leaf-2-1'), false],
    ['a leaf an acknowledgement', message('acknowledge_administrator', 'leaf-2-1'), false],
    ['a root a deploy', message('deploy', 'root-2'), true],
    ['a root an administrator claim', message('i_have_administrator', 'root-2'), true],
  ])('%s: %s', (_, msg, expected) => {
    expect(mayOriginate(msg)).toBe(expected);
  });
});
