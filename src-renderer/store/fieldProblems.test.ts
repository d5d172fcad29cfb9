import { describe, expect, it } from 'vitest';
import { placeProblems } from './fieldProblems.ts';

const problems = [
  { path: 'roots[1].overlay', message: 'overlaps' },
  { path: 'roots[1].cloud.provider', message: 'bad provider' },
  { path: 'roots[1].maxClients', message: 'too many' },
  { path: 'roots[1].overlay', message: 'second' },
  { path: 'roots[1]', message: 'not an object' },
  { path: 'roots[1].overlayx', message: 'unknown field' },
  { path: 'roots[10].overlay', message: 'other root' },
  { path: 'tunnels[0]', message: 'duplicate' },
];

describe('placeProblems', () => {
  it('puts each field’s messages beside it and the rest in a list', () => {
    expect(placeProblems(problems, 1)).toEqual({
      byField: { overlay: ['overlaps', 'second'], cloud: ['bad provider'], maxClients: ['too many'] },
      elsewhere: [problems[4], problems[5], problems[6], problems[7]],
    });
  });

  it('lists everything when no root is shown', () => {
    expect(placeProblems(problems, null)).toEqual({ byField: {}, elsewhere: problems });
  });
});
