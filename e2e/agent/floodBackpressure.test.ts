// A neighbour that floods lines and never reads the answers is held back by TCP: the agent stops reading its stream
// instead of buffering answers without bound, and keeps serving everyone else.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { ROOT_WITH_PHANTOM_PEER, startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { testBundle } from './testBundle.ts';

let cluster: Cluster;
const sockets: TLSSocket[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    ...ROOT_WITH_PHANTOM_PEER,
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 3_600_000 },
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await cluster?.stop();
});

/** Far more than socket buffers hold: a sender that gets this far was never held back. */
const LIMIT_BYTES = 24 * 1024 * 1024;
const STALL_MS = 2_000;

it('stops reading a flood stream whose answers are not read, and serves other requests meanwhile', async () => {
  const phantom = cluster.phantoms.get('root-2')!;
  const socket = connect({ host: '127.0.0.1', port: cluster.agents.get('root-1')!.port, cert: phantom.certPem, key: phantom.keyPem, ca: cluster.controlCa.certPem, checkServerIdentity: () => undefined });
  sockets.push(socket);
  await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  socket.pause();
  socket.write('POST /v1/flood HTTP/1.1\r\nhost: root-1\r\ncontent-type: application/x-ndjson\r\ntransfer-encoding: chunked\r\n\r\n');
  // Each short line is answered (a malformed line whose `n` is readable keeps the stream open) by a much longer one.
  const chunk = '{"n":1}\n'.repeat(8192);
  const frame = `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
  let sent = 0;
  let held = false;
  while (sent < LIMIT_BYTES && !held) {
    sent += chunk.length;
    if (!socket.write(frame)) held = !(await Promise.race([new Promise<boolean>((resolve) => socket.once('drain', () => resolve(true))), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STALL_MS))]));
  }
  expect(held, `the agent read all of ${sent} bytes without its answers being read`).toBe(true);

  const metrics = await cluster.request('root-1', 'GET', '/v1/test/metrics');
  expect(metrics.status).toBe(200);
  const read = (metrics.json as { refusals: { malformed?: number } }).refusals.malformed ?? 0;
  // What the agent read is what the sockets' buffers let through before it stopped, far from all that was sent.
  const lines = (sent / chunk.length) * 8192;
  expect(read).toBeGreaterThan(0);
  expect(read).toBeLessThan(lines / 4);
});
