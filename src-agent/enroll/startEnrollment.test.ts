import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import { createManualClock } from '../clock.ts';
import type { NotServed } from '../wire/route.ts';
import { startEnrollment } from './startEnrollment.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'raincoat-enrollment-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const CALLER = { node: undefined, bearer: 'session', address: '10.0.0.1' };
const start = (role: 'root' | 'leaf') =>
  startEnrollment({
    self: role === 'root' ? 'root-1' : 'leaf-1-1',
    rootId: 1,
    role,
    dataDir,
    openingKey: {} as OpeningKey,
    current: () => undefined,
    runningDigest: () => undefined,
    client: {} as PeerClient,
    targetOf: () => undefined,
    holder: () => null,
    originate: () => undefined,
    clock: createManualClock(1_000_000),
    log: () => undefined,
  });

/** The handler itself, where this node serves the route. */
const served = <H extends object>(handler: H | NotServed): H => {
  if ('notServed' in handler) throw new Error(`not served: ${handler.notServed}`);
  return handler;
};

describe('startEnrollment', () => {
  it('at a root, keeps its tokens in the data folder and serves the token routes', async () => {
    const { handlers, messageHandlers } = await start('root');
    expect(Object.keys(messageHandlers).sort()).toEqual(['enrollment_grant', 'enrollment_grant_answer']);
    const created = await served(handlers.createEnrollmentToken).handle(CALLER, { uses: 2, ttlMs: 600_000 });
    expect(created).toMatchObject({ status: 201, json: { usesLeft: 2, revoked: false } });
    expect(JSON.parse(await readFile(path.join(dataDir, 'enrollment-tokens.json'), 'utf8')).tokens).toHaveLength(1);
    expect(await served(handlers.listEnrollmentTokens).handle(CALLER, undefined)).toMatchObject({ json: { tokens: [{ usesLeft: 2 }] } });
  });

  it('at a leaf, does not serve the routes only roots serve, saying why', async () => {
    const { handlers, messageHandlers } = await start('leaf');
    expect(messageHandlers).toEqual({});
    for (const handler of [handlers.peerEnroll, handlers.createEnrollmentToken, handlers.listEnrollmentTokens, handlers.revokeEnrollmentToken]) {
      expect(handler).toEqual({ notServed: 'leaf-1-1 is a leaf: only roots serve this; ask its root' });
    }
  });
});
