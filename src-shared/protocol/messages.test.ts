import { describe, expect, it } from 'vitest';
import {
  FloodMessageSchema,
  GetDeployRequestSchema,
  MAX_SEQ,
  StatusSnapshotSchema,
  buildUnsignedMessage,
  canonicalMessageBytes,
  seqOfId,
} from './messages.ts';
import { parseNodeName } from '../plan/nodeNames.ts';
import type { MessageBody, MessageType } from './messages.ts';

const SIG = 'A'.repeat(86);
const DIGEST = `sha256:${'ab'.repeat(32)}`;

const BODIES: { [T in MessageType]: MessageBody<T> } = {
  heartbeat: {
    state: 'alive',
    topologyId: '1700000000000',
    intervalMs: 5000,
    clientsConnected: 3,
    tunnels: [{ peer: 2, state: 'up' }],
    leaves: [{ node: 'leaf-1-1', state: 'down', lastHeartbeat: 5, topologyId: null }],
    adminCredential: {
      credential: { user: 'administrator', scheme: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: 'A'.repeat(22), hash: 'B'.repeat(43) },
      changedAt: 1_700_000_000_000,
      changedBy: 2,
    },
  },
  i_have_administrator: { loginId: 'login-0001', user: 'administrator', established: false },
  acknowledge_administrator: {
    rootId: 3,
    loginId: 'login-0002',
    granted: false,
    reason: 'root 1 has the lower id',
    holder: { rootId: 1, loginId: 'login-0001', user: 'administrator', established: false },
  },
  i_lost_administrator: { loginId: 'login-0001', reason: 'idle' },
  deploy: { topologyId: '1700000000000', digest: DIGEST, size: 1234, confirmBy: 1_700_000_600_000 },
  confirm_deploy: { topologyId: '1700000000000' },
  audit: { id: 'AAAAAAAAAAAAAAAA', at: 1_700_000_000_000, root: 1, user: 'administrator', address: '127.0.0.1', event: { kind: 'login', lock: 'held' } },
  admin_state: { topologyId: '1700000000000', storedAt: 1_700_000_000_000, storedBy: 1, digest: DIGEST, size: 1234 },
  enrollment_grant: {
    action: 'grant',
    rootId: 2,
    loginId: 'login-0001',
    token: { id: '00112233aabbccdd', hash: 'C'.repeat(43), label: 'client profile', usesLeft: 1, expiresAt: 1_700_000_600_000, createdAt: 1_700_000_000_000, revoked: false },
  },
  enrollment_grant_answer: { rootId: 1, action: 'grant', tokenId: '00112233aabbccdd', done: false, reason: 'root 3 holds the administrator lock here' },
};

function message<T extends MessageType>(type: T, overrides: Record<string, unknown> = {}) {
  return { id: 'root-1.7', origin: 'root-1', type, ts: 1_700_000_000_000, body: BODIES[type], sig: SIG, ...overrides };
}

describe('node names', () => {
  it.each([
    ['root-1', { role: 'root', rootId: 1 }],
    ['root-2147483647', { role: 'root', rootId: 2147483647 }],
    ['leaf-12-3', { role: 'leaf', rootId: 12, index: 3 }],
    ['root-0', undefined],
    ['root-01', undefined],
    ['root-2147483648', undefined],
    ['leaf-1-0', undefined],
    ['leaf-1', undefined],
    ['Root-1', undefined],
    ['root-1 ', undefined],
  ])('%s reads as %j', (name, expected) => {
    expect(parseNodeName(name)).toEqual(expected);
  });
});

describe('FloodMessageSchema', () => {
  it.each(Object.keys(BODIES) as MessageType[])('accepts a well-formed %s', (type) => {
    expect(FloodMessageSchema.safeParse(message(type)).success).toBe(true);
  });

  it.each([
    ['an id of another origin', message('heartbeat', { id: 'root-2.7' })],
    ['seq 0', message('heartbeat', { id: 'root-1.0' })],
    [`seq ${MAX_SEQ + 1}`, message('heartbeat', { id: `root-1.${MAX_SEQ + 1}` })],
    ['a leading zero in seq', message('heartbeat', { id: 'root-1.07' })],
    ['an unknown type', message('heartbeat', { type: 'shout' })],
    ['a body of another type', message('deploy', { body: BODIES.heartbeat })],
    ['an extra field', { ...message('heartbeat'), extra: 1 }],
    ['a missing signature', { ...message('heartbeat'), sig: undefined }],
    ['a short signature', message('heartbeat', { sig: 'A'.repeat(85) })],
    ['a fractional timestamp', message('heartbeat', { ts: 1.5 })],
    ['an origin that is no node', message('heartbeat', { origin: 'router-1', id: 'router-1.7' })],
    ['failed without a reason', message('heartbeat', { body: { ...BODIES.heartbeat, state: 'failed' } })],
    ['a reason while alive', message('heartbeat', { body: { ...BODIES.heartbeat, reason: 'x' } })],
    ['a node reporting itself down', message('heartbeat', { body: { ...BODIES.heartbeat, state: 'down' } })],
    ['a root in a leaf summary', message('heartbeat', { body: { ...BODIES.heartbeat, leaves: [{ ...BODIES.heartbeat.leaves![0]!, node: 'root-2' }] } })],
    ['a credential record without changedAt', message('heartbeat', { body: { ...BODIES.heartbeat, adminCredential: { credential: BODIES.heartbeat.adminCredential!.credential, changedBy: 2 } } })],
    ['a credential record with a password', message('heartbeat', { body: { ...BODIES.heartbeat, adminCredential: { ...BODIES.heartbeat.adminCredential!, password: 'x' } } })],
    ['a granted ack with a reason', message('acknowledge_administrator', { body: { rootId: 3, loginId: 'login-0002', granted: true, reason: 'x' } })],
    ['a refusal without a reason', message('acknowledge_administrator', { body: { rootId: 3, loginId: 'login-0002', granted: false } })],
    ['a short login id', message('i_have_administrator', { body: { ...BODIES.i_have_administrator, loginId: 'abc' } })],
    ['an unknown lost reason', message('i_lost_administrator', { body: { loginId: 'login-0001', reason: 'bored' } })],
    ['an upper-case digest', message('deploy', { body: { ...BODIES.deploy, digest: DIGEST.toUpperCase() } })],
    ['a digest without its algorithm', message('deploy', { body: { ...BODIES.deploy, digest: 'ab'.repeat(32) } })],
    ['a topology id with a slash', message('confirm_deploy', { body: { topologyId: '../x' } })],
    ['not an object', 'heartbeat'],
  ])('refuses %s', (_, raw) => {
    expect(FloodMessageSchema.safeParse(raw).success).toBe(false);
  });
});

describe('seqOfId', () => {
  it.each([
    ['leaf-2-3.1', 'leaf-2-3', 1],
    [`root-1.${MAX_SEQ}`, 'root-1', MAX_SEQ],
    ['root-1.5', 'root-11', undefined],
    ['root-11.5', 'root-1', undefined],
    ['root-1.', 'root-1', undefined],
  ])('%s from %s has seq %s', (id, origin, seq) => {
    expect(seqOfId(id, origin)).toBe(seq);
  });
});

describe('buildUnsignedMessage and canonicalMessageBytes', () => {
  const unsigned = buildUnsignedMessage('root-4', 42, 'confirm_deploy', 1000, { topologyId: 't1' });

  it('forms the id from the origin and seq', () => {
    expect(unsigned).toEqual({ id: 'root-4.42', origin: 'root-4', type: 'confirm_deploy', ts: 1000, body: { topologyId: 't1' } });
  });

  it('refuses a seq outside 1..MAX_SEQ and a body that does not fit its type', () => {
    expect(() => buildUnsignedMessage('root-4', 0, 'confirm_deploy', 1000, { topologyId: 't1' })).toThrow(RangeError);
    expect(() => buildUnsignedMessage('root-4', MAX_SEQ + 1, 'confirm_deploy', 1000, { topologyId: 't1' })).toThrow(RangeError);
    expect(() => buildUnsignedMessage('root-4', 1, 'confirm_deploy', 1000, { topologyId: '' })).toThrow();
  });

  it('covers every field but the signature, independent of key order', () => {
    const text = new TextDecoder().decode(canonicalMessageBytes(unsigned));
    expect(text).toBe('{"body":{"topologyId":"t1"},"id":"root-4.42","origin":"root-4","ts":1000,"type":"confirm_deploy"}');
    const reordered = { sig: SIG, body: { topologyId: 't1' }, ts: 1000, type: 'confirm_deploy', origin: 'root-4', id: 'root-4.42' } as const;
    expect(canonicalMessageBytes(reordered)).toEqual(canonicalMessageBytes(unsigned));
  });

  it.each([
    ['the body', { body: { topologyId: 't2' } }],
    ['the timestamp', { ts: 1001 }],
    ['the id', { id: 'root-4.43' }],
  ])('changes when %s changes', (_, change) => {
    expect(canonicalMessageBytes({ ...unsigned, ...change } as typeof unsigned)).not.toEqual(canonicalMessageBytes(unsigned));
  });
});

describe('other schemas', () => {
  it('get_deploy names the package by topology id and digest', () => {
    expect(GetDeployRequestSchema.safeParse({ topologyId: 't1', digest: DIGEST }).success).toBe(true);
    expect(GetDeployRequestSchema.safeParse({ topologyId: 't1' }).success).toBe(false);
  });

  it('a status snapshot lists nodes with their state', () => {
    const snapshot = {
      node: 'root-1',
      generatedAt: 10,
      nodes: [
        { node: 'root-1', state: 'alive', lastHeartbeat: 10, topologyId: 't1' },
        { node: 'leaf-1-1', state: 'failed', reason: 'openvpn did not start', lastHeartbeat: 4, topologyId: null },
      ],
    };
    expect(StatusSnapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(StatusSnapshotSchema.safeParse({ ...snapshot, nodes: [{ ...snapshot.nodes[1], reason: undefined }] }).success).toBe(false);
  });
});
