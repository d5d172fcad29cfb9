// A leaf and the routes only roots serve: refused as not served, with why, before the caller is checked or any body read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { testBundle } from './testBundle.ts';

let cluster: Cluster;

beforeAll(async () => {
  const neighbours = new Map([
    ['root-1', ['leaf-1-1']],
    ['leaf-1-1', ['root-1']],
  ]);
  cluster = await startCluster({ neighbours, bundle: await testBundle(), config: { heartbeatIntervalMs: 3_600_000 } });
});

afterAll(async () => {
  await cluster?.stop();
});

const NOT_HERE = { ok: false, status: 404, code: 'not_found', reason: 'leaf-1-1 is a leaf: only roots serve this; ask its root' };

describe('a leaf', () => {
  it('says that only roots take logins, whatever the credentials', async () => {
    expect(await cluster.app('leaf-1-1').login({ user: 'administrator', password: 'makeitrain', newPassword: 'never checked here' })).toEqual(NOT_HERE);
  });

  it('says that only roots keep enrollment tokens, before asking for a session', async () => {
    const client = cluster.app('leaf-1-1', 'not-a-session-token-at-all');
    expect(await client.listEnrollmentTokens()).toEqual(NOT_HERE);
    expect(await client.createEnrollmentToken({ uses: 1, ttlMs: 600_000 })).toEqual(NOT_HERE);
  });

  it('serves what every node serves: its status, to a node', async () => {
    expect((await cluster.request('leaf-1-1', 'GET', '/v1/status')).status).toBe(200);
  });
});
