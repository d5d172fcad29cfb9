// Requests as the application makes them: TLS pinned to the control CA and the agent's node name, no client
// certificate, and the session token from login as a bearer token.
import { request as httpsRequest } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import type { Cluster } from './agentCluster.ts';

/** The answers' fields the tests read; whatever else an answer holds is there as unknown. */
export interface AppJson {
  [field: string]: unknown;
  error?: string;
  reason?: string;
  session?: string;
  phase?: string;
  token?: string;
  id?: string;
  node?: string;
  certificate?: string;
  profile?: string;
  result?: string;
}

export interface AppResponse {
  status: number;
  json: AppJson;
}

export function appRequest(cluster: Cluster, node: string, method: 'GET' | 'POST', path: string, options: { json?: unknown; token?: string } = {}): Promise<AppResponse> {
  const agent = cluster.agents.get(node);
  if (!agent) throw new Error(`no agent ${node}`);
  const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: agent.port,
        path,
        method,
        ca: cluster.controlCa.certPem,
        checkServerIdentity: (_host: string, cert: PeerCertificate) => (cert.subject?.CN === node ? undefined : new Error(`expected ${node}, got ${String(cert.subject?.CN)}`)),
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as AppJson) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
