// Client enrollment's refusals: a request the root cannot read counts against its source like a wrong token does.
import { describe, expect, it } from 'vitest';
import type { Issuer } from '../../src-node/x509/issuer.ts';
import { createLoginRateLimiter } from '../administrator/loginRateLimiter.ts';
import { Refusal } from '../wire/refusal.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import { clientEnrollmentHandlers } from './clientEnrollment.ts';
import type { EnrollmentTokens } from './enrollmentTokens.ts';

const MAX_FAILURES = 3;
const SOURCE = '192.0.2.7';

function setup(role: 'root' | 'leaf', rootAnswer?: { status: number; json?: unknown; text?: string }) {
  const consumed: string[] = [];
  const tokens = { consume: async (token: string) => (consumed.push(token), { ok: false, reason: 'no such token' }) } as unknown as EnrollmentTokens;
  const client = {
    request: async () => ({ status: rootAnswer!.status, body: Buffer.from(rootAnswer!.text ?? JSON.stringify(rootAnswer!.json)) }),
  } as unknown as PeerClient;
  const { enroll } = clientEnrollmentHandlers({
    self: role === 'root' ? 'root-1' : 'leaf-1-1',
    rootId: 1,
    role,
    tokens: role === 'root' ? tokens : undefined,
    // The CA is never reached: every request here is refused before signing.
    material: async () => (role === 'root' ? { role, ca: {} as Issuer, leafProfiles: new Map([['leaf-1-1', 'profile']]) } : { role, profile: 'profile' }),
    client,
    rootTarget: () => ({ node: 'root-1', url: 'https://127.0.0.1:1' }),
    limiter: createLoginRateLimiter({ now: () => 0, maxFailures: MAX_FAILURES }),
    now: () => 0,
    log: () => {},
  });
  const attemptRefusal = async (csr: string) => {
    try {
      await enroll.handle({ node: undefined, bearer: undefined, address: SOURCE }, { token: 'rce_x', csr, format: 'json' });
    } catch (error) {
      if (error instanceof Refusal) return { code: error.code, reason: error.message };
      throw error;
    }
    return undefined;
  };
  const attempt = async (csr: string) => (await attemptRefusal(csr))?.code ?? 'accepted';
  return { attempt, attemptRefusal, consumed };
}

describe('/v1/enroll', () => {
  it('counts requests whose CSR cannot be read against their source, without spending a token use', async () => {
    const { attempt, consumed } = setup('root');
    const codes = [];
    for (let i = 0; i <= MAX_FAILURES; i++) codes.push(await attempt('not a csr'));
    expect(codes).toEqual([...Array<string>(MAX_FAILURES).fill('malformed'), 'rate_limited']);
    expect(consumed).toEqual([]);
  });

  it('at a leaf, counts a CSR its root found malformed against the source', async () => {
    const { attempt } = setup('leaf', { status: 400, json: { error: 'malformed', reason: 'csr: not a readable certification request' } });
    const codes = [];
    for (let i = 0; i <= MAX_FAILURES; i++) codes.push(await attempt('not a csr'));
    expect(codes).toEqual([...Array<string>(MAX_FAILURES).fill('malformed'), 'rate_limited']);
  });

  it.each([
    ['a refusal the client may be told', { status: 403, json: { error: 'forbidden', reason: 'the enrollment token was revoked' } }, 'forbidden', 'root-1: the enrollment token was revoked'],
    ['a refusal of this leaf, not of the client', { status: 403, json: { error: 'unknown_peer', reason: 'leaf-1-1 is not a neighbour of this node' } }, 'unavailable', 'root-1: leaf-1-1 is not a neighbour of this node'],
    ['an answer that is not JSON', { status: 502, text: '<html>Bad gateway</html>' }, 'unavailable', 'root-1 answered 502 with something that is not JSON'],
    ['a signed answer without its certificate', { status: 200, json: { name: 'client-1-a' } }, 'unavailable', 'root-1 answered with no certificate: certificate: missing, Invalid input: expected string, received undefined'],
  ])('at a leaf, passes on %s as its root said it, or as unavailable', async (_what, rootAnswer, code, reason) => {
    const { attemptRefusal } = setup('leaf', rootAnswer);
    expect(await attemptRefusal('any csr')).toEqual({ code, reason });
  });
});
