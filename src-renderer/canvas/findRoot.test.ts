import { describe, expect, it } from 'vitest';
import { findRoot } from './findRoot.ts';

const roots = [{ name: 'aws-east-2' }, { name: 'aws-east' }, { name: 'euca-lab' }, { name: 'On-Prem' }];

describe('findRoot', () => {
  it.each([
    ['aws-east', 'aws-east'],
    ['AWS', 'aws-east-2'],
    ['lab', 'euca-lab'],
    ['  on-prem ', 'On-Prem'],
    ['gcp', undefined],
    ['', undefined],
  ])('%j finds %j', (query, want) => {
    expect(findRoot(roots, query)?.name).toBe(want);
  });
});
