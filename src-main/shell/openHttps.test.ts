import { describe, expect, it } from 'vitest';
import { openHttps } from './openHttps.ts';

describe('openHttps', () => {
  it.each([
    { address: 'https://example.org/raincoat#readme', opens: true },
    { address: 'HTTPS://example.org/', opens: true },
    { address: 'http://example.org/', opens: false },
    { address: 'file:///etc/passwd', opens: false },
    { address: 'javascript:alert(1)', opens: false },
    { address: 'ms-settings:privacy', opens: false },
    { address: 'example.org', opens: false },
    { address: '', opens: false },
  ])('$address → opens: $opens', async ({ address, opens }) => {
    const opened: string[] = [];
    const shell = { openExternal: async (url: string) => void opened.push(url) };
    expect(await openHttps(shell, address)).toBe(opens);
    expect(opened).toEqual(opens ? [address] : []);
  });
});
