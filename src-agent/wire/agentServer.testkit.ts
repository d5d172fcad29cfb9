// A real agent server on 127.0.0.1 for the server's own tests: a fresh control CA, the server certified as root-1, and a
// handler that answers `{}` on every route of the table; plus raw HTTPS requests with or without a client certificate.
import { generateKeyPairSync } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { OutgoingHttpHeaders } from 'node:http';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { signCsr } from '../../src-node/x509/signCsr.ts';
import { agentApi, DEFAULT_BODY_LIMITS } from '../../src-shared/protocol/agentApi.ts';
import type { RouteName } from '../../src-shared/protocol/agentApi.ts';
import { systemClock } from '../clock.ts';
import { createAgentServer } from './agentServer.ts';
import { DEFAULT_CONNECTION_LIMITS } from './connectionGuard.ts';
import type { AgentServer, AgentServerOptions } from './agentServer.ts';
import { RefusalCounter } from './refusal.ts';
import type { Handlers } from './route.ts';

export interface Identity {
  certPem: string;
  keyPem: string;
}

export interface TestServer {
  port: number;
  ca: Identity;
  /** A control-CA certificate for `node`. */
  certify(node: string): Identity;
  refusals: RefusalCounter;
  server: AgentServer;
  close(): Promise<void>;
}

const answer = { handle: () => ({ json: {} as never }) };
/** A handler for every route of the table, testing ones included when asked. */
export const everyRoute = (testing: boolean): Handlers =>
  Object.fromEntries((Object.keys(agentApi) as RouteName[]).filter((name) => testing || !('testing' in agentApi[name])).map((name) => [name, answer]));

export async function startTestServer(options: Partial<AgentServerOptions> = {}): Promise<TestServer> {
  const ca = testCa('control CA (test)');
  const certify = (node: string): Identity => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    return { certPem: signCsr(ca, createCsr(node, key), 'peer').certPem, keyPem: key.export({ format: 'pem', type: 'pkcs8' }) as string };
  };
  const self = certify('root-1');
  const refusals = new RefusalCounter();
  const server = createAgentServer({
    keyPem: self.keyPem,
    certPem: self.certPem,
    caPem: ca.certPem,
    handlers: everyRoute(true),
    limits: DEFAULT_BODY_LIMITS,
    testing: true,
    isNeighbour: () => true,
    isSession: () => false,
    refusals,
    connections: DEFAULT_CONNECTION_LIMITS,
    clock: systemClock,
    logError: () => undefined,
    ...options,
  });
  const port = await server.listen('127.0.0.1', 0);
  return { port, ca, certify, refusals, server, close: () => server.close() };
}

export interface RawAnswer {
  status: number;
  text: string;
}

/** One request on a connection of its own, as whoever `as` is (nobody: no client certificate). */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; as?: Identity; headers?: OutgoingHttpHeaders; body?: string | Buffer; ciphers?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        agent: false,
        rejectUnauthorized: false,
        ...(options.as ? { cert: options.as.certPem, key: options.as.keyPem } : {}),
        ...(options.ciphers ? { ciphers: options.ciphers } : {}),
        ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
