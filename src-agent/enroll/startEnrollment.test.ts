import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import { Refusal } from '../wire/refusal.ts';
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
    now: () => 1_000_000,
    log: () => undefined,
  });

const refusalOf = async (work: () => unknown) => {
  try {
    await work();
  } catch (error) {
    if (error instanceof Refusal) return { code: error.code, reason: error.message };
    throw error;
  }
  return undefined;
};

describe('startEnrollment', () => {
  it('at a root, keeps its tokens in the data folder and serves the token routes', async () => {
    const handlers = await start('root');
    const created = await handlers.createEnrollmentToken.handle(CALLER, { uses: 2, ttlMs: 600_000 });
    expect(created).toMatchObject({ status: 201, json: { usesLeft: 2, revoked: false } });
    expect(JSON.parse(await readFile(path.join(dataDir, 'enrollment-tokens.json'), 'utf8')).tokens).toHaveLength(1);
    expect(await handlers.listEnrollmentTokens.handle(CALLER, undefined)).toMatchObject({ json: { tokens: [{ usesLeft: 2 }] } });
  });

  it('at a leaf, answers the routes only roots serve with why', async () => {
    const handlers = await start('leaf');
    for (const work of [() => handlers.listEnrollmentTokens.handle(CALLER, undefined), () => handlers.peerEnroll.handle(CALLER, { token: 't', csr: 'c' })]) {
      expect(await refusalOf(work)).toEqual({ code: 'not_found', reason: 'leaf-1-1 is a leaf: only roots serve this; ask its root' });
    }
  });
});
