import { describe, expect, it } from 'vitest';
import { asSentence, placeWords, problemLine } from './problemWords.ts';

describe('problem words', () => {
  it.each([
    { message: 'expected a name of 1 to 63 printable characters, found ""', want: 'Expected a name of 1 to 63 printable characters, found "".' },
    { message: '10.1.0.0/16 overlaps the overlay of root 1 (aws-east)', want: '10.1.0.0/16 overlaps the overlay of root 1 (aws-east).' },
    { message: 'did you mean 10.1.0.0/16?', want: 'Did you mean 10.1.0.0/16?' },
    { message: 'unknown field', want: 'Unknown field.' },
    { message: '', want: '' },
  ])('makes a sentence of $message', ({ message, want }) => {
    expect(asSentence(message)).toBe(want);
  });

  it.each([
    { path: 'roots[1].overlay', want: 'Root 2 in the list, overlay' },
    { path: 'roots[0].cloud.provider', want: 'Root 1 in the list, cloud' },
    { path: 'roots[0].maxClients', want: 'Root 1 in the list, max clients' },
    { path: 'roots[3]', want: 'Root 4 in the list' },
    { path: 'roots[3].colour', want: 'Root 4 in the list, colour' },
    { path: 'tunnels[2].b', want: 'Tunnel 3 in the list, second root' },
    { path: 'tunnels[0]', want: 'Tunnel 1 in the list' },
    { path: 'topology', want: 'The topology' },
    { path: 'roots', want: 'The list of roots' },
    { path: 'comment', want: 'The field "comment"' },
  ])('says where $path is in words', ({ path, want }) => {
    expect(placeWords(path)).toBe(want);
  });

  it('writes a problem as a line with no path in it', () => {
    expect(problemLine({ path: 'tunnels[1]', message: 'there is already a tunnel between root 2 (c2) and root 1 (c1)' })).toBe(
      'Tunnel 2 in the list: There is already a tunnel between root 2 (c2) and root 1 (c1).',
    );
  });
});
