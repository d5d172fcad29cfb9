import { describe, expect, it } from 'vitest';
import { freeIfName, makeRunId, MAX_IFNAME, namespaceName, parseNamespace, parseRunId } from './runId.ts';

describe('run ids and names', () => {
  it('embeds the owner pid and parses back', () => {
    const runId = makeRunId(4_194_303, () => 0.5);
    expect(runId).toBe('rcl2hwcf-iiii');
    expect(parseRunId(runId)).toEqual({ ownerPid: 4_194_303 });
  });

  it('differs between labs of one process', () => {
    const ids = new Set(Array.from({ length: 50 }, () => makeRunId(1234)));
    expect(ids.size).toBeGreaterThan(45);
  });

  it.each([
    ['rcl2gosa7-iiii-a', { runId: 'rcl2gosa7-iiii', local: 'a' }],
    ['rclz-0000-root-1', { runId: 'rclz-0000', local: 'root-1' }],
    ['rcl2hwcf-iiii', null],
    ['ec-a', null],
    ['xrcl1-abcd-a', null],
    ['rcl1-abc-a', null],
  ])('parses namespace %s', (ns, expected) => {
    expect(parseNamespace(ns)).toEqual(expected);
  });

  it.each(['A', '-a', 'a b', 'a_b', ''])('refuses host name %j', (name) => {
    expect(() => namespaceName('rcl1-abcd', name)).toThrow(/must match/);
  });

  it.each([
    ['to-b', [], 'to-b'],
    ['to-b', ['to-b'], 'to-b-2'],
    ['to-b', ['to-b', 'to-b-2'], 'to-b-3'],
    ['to-a-very-long-host-name', [], 'to-a-very-long-'],
    ['to-a-very-long-host-name', ['to-a-very-long-'], 'to-a-very-lon-2'],
  ])('picks interface name for %s among %j', (wanted, taken, expected) => {
    const name = freeIfName(wanted, new Set(taken));
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(MAX_IFNAME);
  });
});
