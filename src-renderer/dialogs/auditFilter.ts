// Which audit rows a filter keeps: every word typed must appear in some cell of the row, in any case; pure.

export function filterAuditRows(rows: readonly string[][], query: string): string[][] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  return rows.filter((cells) => {
    const text = cells.join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
