import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { signCsr } from '../../src-node/x509/signCsr.ts';
import { createManualClock, settle } from '../clock.ts';
import type { Identity } from '../identity/identityStore.ts';
import { createNeighbourTable } from '../neighbours/neighbourTable.ts';
import { NDJSON } from '../wire/lineSplitter.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import { RefusalCounter } from '../wire/refusal.ts';
import type { Caller } from '../wire/route.ts';
import { startFlooding } from './startFlooding.ts';
import type { Flooding, MessageHandlers } from './startFlooding.ts';

const control = testCa('control');

function identityOf(node: string, ca = control): Identity {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certPem = signCsr(ca, createCsr(node, privateKey), 'peer').certPem;
  return { node, key: privateKey, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem, caPem: control.certPem, cert: new X509Certificate(certPem), ca: new X509Certificate(control.certPem) };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(identity: Identity, options: { dataDir?: string; messageHandlers?: MessageHandlers; testing?: boolean } = {}) {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'flooding-')));
  dirs.push(dataDir);
  const logged: string[] = [];
  const flooding = await startFlooding({
    self: identity.node,
    identity,
    neighbours: createNeighbourTable([]),
    client: {} as PeerClient,
    clock: createManualClock(Date.now()),
    dataDir,
    messageHandlers: options.messageHandlers ?? {},
    refusals: new RefusalCounter(),
    maxLineBytes: 64 * 1024,
    testing: options.testing ?? false,
    log: (event) => void logged.push(event),
  });
  return { flooding, dataDir, logged };
}

/** Sends one message from `from` down the flood route, as its stream would, and reads the answer. */
async function deliver(flooding: Flooding, from: Identity, message: FloodMessage): Promise<FloodAck> {
  const request = Object.assign(new PassThrough(), { headers: { 'content-type': NDJSON } });
  const writes: string[] = [];
  const response = Object.assign(new EventEmitter(), { writeHead: () => undefined, flushHeaders: () => undefined, write: (text: string) => (writes.push(text), true), end: () => undefined, writableLength: 0 });
  flooding.handlers.flood.stream({ node: from.node, bearer: undefined, address: '127.0.0.1' } as Caller, request as unknown as IncomingMessage, response as unknown as ServerResponse);
  request.end(`${JSON.stringify({ n: 0, message, certificate: from.certPem })}\n`);
  await settle();
  return JSON.parse(writes.join('')) as FloodAck;
}

describe('startFlooding', () => {
  it('hands an accepted message to the handler of its type, read when the message comes, and keeps the seen-set across a restart', async () => {
    const root2 = identityOf('root-2');
    const message = (await start(root2)).flooding.router.originate('confirm_deploy', { topologyId: 't1' });
    const root1 = identityOf('root-1');
    const handled: Array<[string, string | null]> = [];
    const messageHandlers: MessageHandlers = {};
    const { flooding, dataDir } = await start(root1, { messageHandlers });
    messageHandlers.confirm_deploy = (m, from) => void handled.push([m.id, from]);

    expect(await deliver(flooding, root2, message)).toEqual({ n: 0, status: 202 });
    expect(handled).toEqual([[message.id, 'root-2']]);
    await flooding.saveSeen();
    flooding.close();

    const restarted = await start(root1, { dataDir, messageHandlers });
    expect(await deliver(restarted.flooding, root2, message)).toMatchObject({ n: 0, status: 409, error: 'duplicate' });
    expect(handled).toHaveLength(1);
  });

  it('will not start with a certificate of its own that the control CA did not issue', async () => {
    await expect(start(identityOf('root-1', testCa('other')))).rejects.toThrow('own certificate: the certificate of root-1 is not issued by the control CA');
  });

  it.each([
    [false, ['flood']],
    [true, ['flood', 'testOriginate', 'testMetrics']],
  ])('serves the testing routes only on a test agent (testing: %s)', async (testing, routes) => {
    const { flooding } = await start(identityOf('root-1'), { testing });
    expect(Object.keys(flooding.handlers)).toEqual(routes);
  });
});
