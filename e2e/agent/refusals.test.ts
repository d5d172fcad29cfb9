// A real agent refuses every kind of bad request with a 4xx and a reason, counts it, and keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { OutgoingHttpHeaders } from 'node:http';
import { buildUnsignedMessage } from '../../src-shared/protocol/messages.ts';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { createMessageSigner } from '../../src-agent/flood/messageSignature.ts';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import { createCa } from '../../src-main/core/pki/issueCertificate.ts';
import { signCsr } from '../../src-node/x509/signCsr.ts';
import { ROOT_WITH_PHANTOM_PEER, startCluster } from './agentCluster.ts';
import type { Cluster, PhantomIdentity } from './agentCluster.ts';
import { testBundle } from './testBundle.ts';

let cluster: Cluster;
let phantom: PhantomIdentity;
let seq = 1;

beforeAll(async () => {
  cluster = await startCluster({
    ...ROOT_WITH_PHANTOM_PEER,
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 3_600_000, maxBodyBytes: 4096 },
  });
  phantom = cluster.phantoms.get('root-2')!;
});

afterAll(async () => {
  await cluster?.stop();
});

const signAsPhantom = (body: { topologyId: string }, ts = Date.now(), key = phantom.keyPem): FloodMessage => {
  const unsigned = buildUnsignedMessage('root-2', seq++, 'confirm_deploy', ts, body);
  return { ...unsigned, sig: createMessageSigner(createPrivateKey(key))(unsigned) } as FloodMessage;
};

interface Raw {
  status: number;
  /** The JSON answer of a refused request, or the acknowledgement lines of a flood stream. */
  json: { error?: string; reason?: string };
  lines: FloodAck[];
}

/** One HTTPS request to root-1 with full control of certificate, headers and body (streamed in chunks when asked). */
function raw(options: { path?: string; method?: string; cert?: PhantomIdentity; headers?: OutgoingHttpHeaders; body?: string | Buffer[] }): Promise<Raw> {
  const agent = cluster.agents.get('root-1')!;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: agent.port,
        path: options.path ?? '/v1/flood',
        method: options.method ?? 'POST',
        ca: cluster.controlCa.certPem,
        checkServerIdentity: () => undefined,
        ...(options.cert ? { cert: options.cert.certPem, key: options.cert.keyPem } : {}),
        headers: { 'content-type': 'application/x-ndjson', ...options.headers },
      },
      (res) => {
        let text = '';
        res.on('error', reject);
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          const ndjson = res.headers['content-type'] === 'application/x-ndjson';
          resolve({
            status: res.statusCode ?? 0,
            json: ndjson ? {} : (JSON.parse(text) as Raw['json']),
            lines: ndjson ? text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as FloodAck) : [],
          });
        });
      },
    );
    req.on('error', reject);
    if (Array.isArray(options.body)) {
      for (const chunk of options.body) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

/** A flood stream of these messages, as a neighbour sends them; resolves with the acknowledgement of each. */
const deliver = async (messages: unknown[], certificate = phantom.certPem) =>
  (await raw({ cert: phantom, body: messages.map((message, n) => `${JSON.stringify({ n, message, certificate })}\n`).join('') })).lines;

describe('an agent refuses bad requests with a reason', () => {
  it('accepts a good message once and refuses its replay, on the same stream or a later one', async () => {
    const message = signAsPhantom({ topologyId: 'ok-1' });
    expect(await deliver([message, message])).toEqual([
      { n: 0, status: 202 },
      { n: 1, status: 409, error: 'duplicate', reason: 'already seen (a duplicate or a replay)' },
    ]);
    expect(await deliver([message])).toEqual([{ n: 0, status: 409, error: 'duplicate', reason: 'already seen (a duplicate or a replay)' }]);
  });

  it.each([
    ['unsigned', () => { const { sig: _sig, ...rest } = signAsPhantom({ topologyId: 'u' }); return rest; }, 400, 'malformed', /sig/],
    ['signed by another key', () => signAsPhantom({ topologyId: 'x' }, Date.now(), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string), 403, 'bad_signature', /signature/],
    ['altered after signing', () => ({ ...signAsPhantom({ topologyId: 'a' }), body: { topologyId: 'b' } }), 403, 'bad_signature', /signature/],
    ['older than the seen-set keeps', () => signAsPhantom({ topologyId: 'old' }, Date.now() - 11 * 60_000), 409, 'too_old', /older/],
    ['from the future', () => signAsPhantom({ topologyId: 'new' }, Date.now() + 5 * 60_000), 409, 'from_future', /future/],
    ['not a flood message', () => ({ hello: 'world' }), 400, 'malformed', /./],
  ])('a message %s, and goes on with the stream', async (_name, make, status, error, reason) => {
    const next = signAsPhantom({ topologyId: `after-${String(error)}` });
    expect(await deliver([make(), next])).toEqual([
      { n: 0, status, error, reason: expect.stringMatching(reason) },
      { n: 1, status: 202 },
    ]);
  });

  it('an origin certificate that is not the control CA\'s', async () => {
    const stranger = createCa('not the control CA');
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = signCsr(stranger, createCsr('root-2', key), 'peer').certPem;
    expect(await deliver([signAsPhantom({ topologyId: 'f' })], forged)).toEqual([{ n: 0, status: 403, error: 'unknown_origin', reason: 'the certificate of root-2 is not issued by the control CA' }]);
  });

  it.each([
    ['a line that is not JSON', { body: '{"n":0,"message":\n' }, 'malformed', /^a line is not JSON/],
    ['a line without its number', { body: '{"message":{},"certificate":"x"}\n' }, 'malformed', /^n: missing/],
    ['a line too long', { body: 'x'.repeat(5000) }, 'too_large', /a line exceeds the limit of 4096 bytes/],
    ['a line too long, streamed in chunks', { headers: { 'transfer-encoding': 'chunked' }, body: Array.from({ length: 10 }, () => Buffer.alloc(1000, 32)) }, 'too_large', /exceeds the limit/],
  ])('ends a stream on %s, which it cannot answer line by line', async (_name, options, error, reason) => {
    const answer = await raw({ cert: phantom, ...(options as object) });
    expect(answer.status).toBe(200);
    expect(answer.lines).toEqual([{ n: null, status: expect.any(Number), error, reason: expect.stringMatching(reason) }]);
  });

  it.each([
    ['not declared as JSON lines', { headers: { 'content-type': 'application/json' }, body: '{}' }, 415, 'unsupported_media_type', /application\/x-ndjson/],
    ['with a body over the limit', { path: '/v1/enroll', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(5000) }, 413, 'too_large', /the limit is 4096/],
    ['with a body over the limit, streamed in chunks', { path: '/v1/enroll', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: Array.from({ length: 10 }, () => Buffer.alloc(1000, 32)) }, 413, 'too_large', /exceeds the limit/],
    ['with a body that is not JSON', { path: '/v1/enroll', headers: { 'content-type': 'application/json' }, body: '{"token":' }, 400, 'malformed', /not JSON/],
    ['with a body that does not match its schema', { path: '/v1/enroll', headers: { 'content-type': 'application/json' }, body: '{"token":"x","csr":"y","colour":1}' }, 400, 'malformed', /colour: unknown field/],
    ['to no endpoint', { path: '/v1/nothing', body: '{}' }, 404, 'not_found', /no endpoint/],
    ['with the wrong method', { method: 'GET', path: '/v1/flood' }, 405, 'method_not_allowed', /takes POST/],
  ])('refuses a request %s', async (_name, options, status, error, reason) => {
    expect(await raw({ cert: phantom, ...(options as object) })).toMatchObject({ status, json: { error, reason: expect.stringMatching(reason) } });
  });

  it.each([
    ['without a client certificate', () => undefined, 401, 'unauthenticated', /none was presented/],
    ['with a certificate from another CA', () => {
      const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      return { certPem: signCsr(createCa('other'), createCsr('root-2', key), 'peer').certPem, keyPem: key.export({ format: 'pem', type: 'pkcs8' }) as string };
    }, 401, 'unauthenticated', /control-CA client certificate is required/],
    ['from a node that is not a neighbour', () => {
      const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      return { certPem: signCsr(cluster.controlCa, createCsr('root-9', key), 'peer').certPem, keyPem: key.export({ format: 'pem', type: 'pkcs8' }) as string };
    }, 403, 'unknown_peer', /root-9 is not a neighbour/],
  ])('a peer %s', async (_name, cert, status, error, reason) => {
    const identity = cert();
    expect(await raw({ ...(identity ? { cert: identity } : {}), body: `${JSON.stringify({ n: 0, message: signAsPhantom({ topologyId: 'p' }), certificate: phantom.certPem })}\n` })).toMatchObject({
      status,
      json: { error, reason: expect.stringMatching(reason) },
    });
  });

  it('is not held up by a sender that stalls halfway through a body', async () => {
    const agent = cluster.agents.get('root-1')!;
    const stalled = httpsRequest({
      host: '127.0.0.1',
      port: agent.port,
      path: '/v1/flood',
      method: 'POST',
      ca: cluster.controlCa.certPem,
      checkServerIdentity: () => undefined,
      cert: phantom.certPem,
      key: phantom.keyPem,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    stalled.on('error', () => undefined);
    stalled.write('{"n":0,"message":');
    try {
      const started = Date.now();
      expect(await deliver([signAsPhantom({ topologyId: 'meanwhile' })])).toEqual([{ n: 0, status: 202 }]);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      stalled.destroy();
    }
  });

  it('counted every refusal and is still serving', async () => {
    const metrics = await cluster.request('root-1', 'GET', '/v1/test/metrics');
    expect(metrics.status).toBe(200);
    const refusals = (metrics.json as { refusals: Record<string, number> }).refusals;
    expect(refusals).toMatchObject({
      duplicate: 2,
      malformed: 6,
      bad_signature: 2,
      too_old: 1,
      from_future: 1,
      unknown_origin: 1,
      unsupported_media_type: 1,
      too_large: 4,
      not_found: 1,
      method_not_allowed: 1,
      unknown_peer: 1,
    });
    expect(refusals.unauthenticated).toBeGreaterThanOrEqual(2);
    expect(cluster.agents.get('root-1')!.process.exitCode).toBeNull();
  });
});

// Last: the restart resets the counters the tests above read.
describe('across a restart', () => {
  it('an agent still refuses the replay of a message it took before', async () => {
    const message = signAsPhantom({ topologyId: 'before-restart' });
    expect(await deliver([message])).toEqual([{ n: 0, status: 202 }]);
    await cluster.restart('root-1');
    expect(await deliver([message])).toEqual([{ n: 0, status: 409, error: 'duplicate', reason: 'already seen (a duplicate or a replay)' }]);
    expect(await deliver([signAsPhantom({ topologyId: 'after-restart' })])).toEqual([{ n: 0, status: 202 }]);
  });
});
