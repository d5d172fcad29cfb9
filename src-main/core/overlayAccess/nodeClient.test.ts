import { describe, expect, it } from 'vitest';
import { nodeClient } from './nodeClient.ts';
import { sampleAccess } from './overlayAccess.testkit.ts';

describe('nodeClient', () => {
  it("refuses a node the overlay's access does not list", () => {
    expect(() => nodeClient(sampleAccess(), 'root-9')).toThrow('root-9 is not a node of overlay "sandbox"');
  });

  it('reaches the node at the address the access gives, and fails as a value when nothing answers', async () => {
    const access = sampleAccess();
    access.nodes['root-1']!.url = 'https://127.0.0.1:1';
    const client = nodeClient(access, 'root-1', { retry: { attempts: 1, firstDelayMs: 0, maxDelayMs: 0 } });
    const result = await client.api.status();
    client.close();
    expect(result).toMatchObject({ ok: false, code: 'unreachable', reason: expect.stringMatching(/^root-1 at https:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/) });
  });
});
