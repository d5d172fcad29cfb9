// The guard every renderer shares: a value with a control character would break every configuration format.

export function assertPrintable(word: string, format: string): void {
  if (/[\u0000-\u001f\u007f]/.test(word)) throw new Error(`${format} value ${JSON.stringify(word)} contains a control character`);
}
