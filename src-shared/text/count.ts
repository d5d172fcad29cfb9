// A number with its noun, singular or plural as the number needs: "1 root", "2 roots", "1 leaf", "3 leaves".

export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
