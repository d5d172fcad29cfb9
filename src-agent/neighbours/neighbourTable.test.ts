import { describe, expect, it } from 'vitest';
import { createNeighbourTable } from './neighbourTable.ts';

describe('neighbourTable', () => {
  it('answers by name and takes a new list as a whole', () => {
    const table = createNeighbourTable([{ node: 'root-2', url: 'https://10.0.0.2:7443' }]);
    expect(table.names()).toEqual(['root-2']);
    expect(table.target('root-2')).toEqual({ node: 'root-2', url: 'https://10.0.0.2:7443' });
    table.replace([
      { node: 'root-3', url: 'https://10.0.0.3:7443' },
      { node: 'leaf-1-1', url: 'https://10.1.0.2:7443' },
    ]);
    expect(table.has('root-2')).toBe(false);
    expect(table.names()).toEqual(['root-3', 'leaf-1-1']);
    expect(table.target('leaf-1-1')?.url).toBe('https://10.1.0.2:7443');
  });
});
