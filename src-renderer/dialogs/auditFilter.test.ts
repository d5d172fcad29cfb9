import { describe, expect, it } from 'vitest';
import { filterAuditRows } from './auditFilter.ts';

const rows = [
  ['2026-01-01T10:00:00.000Z', 'root-1', 'administrator', '127.0.0.1', 'logged in; holds the administrator lock'],
  ['2026-01-01T10:05:00.000Z', 'root-1', 'administrator', '127.0.0.1', 'deploy of topology 2026-01-01T10:04 posted, for 8 nodes'],
  ['2026-01-01T11:00:00.000Z', 'root-2', 'alice', '10.0.0.5', 'login refused (bad_credentials): wrong password'],
];

describe('filterAuditRows', () => {
  it.each([
    { query: '', want: 3 },
    { query: '   ', want: 3 },
    { query: 'deploy', want: 1 },
    { query: 'ROOT-1', want: 2 },
    { query: 'alice refused', want: 1 },
    { query: 'alice deploy', want: 0 },
  ])('keeps $want rows for $query', ({ query, want }) => {
    expect(filterAuditRows(rows, query)).toHaveLength(want);
  });
});
