// HTTPS requests from this agent to another, with mutual TLS: our control-CA certificate out, theirs checked by node name.
import { Agent, request as httpsRequest } from 'node:https';
import type { ClientRequest } from 'node:http';
import { createSecureContext } from 'node:tls';
import type { PeerCertificate } from 'node:tls';

export interface PeerTarget {
  node: string;
  url: string;
}

export interface PeerResponse {
  status: number;
  body: Buffer;
}

export interface PeerClient {
  /** Sends `json` (POST) or nothing (GET) and reads at most `maxBytes` of the answer; rejects on network errors and timeouts. */
  request(target: PeerTarget, method: 'GET' | 'POST', path: string, json?: unknown, maxBytes?: number): Promise<PeerResponse>;
  /** Starts a POST whose body the caller writes as it goes (chunked) and keeps open: the flood stream. */
  open(target: PeerTarget, path: string, contentType: string): ClientRequest;
  close(): void;
}

export class PeerRequestError extends Error {}

export interface PeerClientOptions {
  keyPem: string;
  certPem: string;
  caPem: string;
  timeoutMs: number;
  defaultMaxBytes: number;
}

// Beyond any real neighbour count; past it the least recently made connection pool goes.
const MAX_POOLS = 1024;

/** The agent's own client: it takes a renewed identity certificate for the connections it opens from then on. */
export interface RenewablePeerClient extends PeerClient {
  replaceCertificate(certPem: string): void;
}

export function createPeerClient(options: PeerClientOptions): RenewablePeerClient {
  // Kept-alive connections, one pool per target: a flood hop costs one request on a warm TLS session, not a handshake.
  // The name check lives in the pool's options because Node does not reuse a connection for a request that brings its own.
  const pools = new Map<string, Agent>();
  // One TLS context for every connection: given key, certificate and CA instead, Node parses them and builds a
  // new context for each connection it opens.
  let secureContext = createSecureContext({ key: options.keyPem, cert: options.certPem, ca: options.caPem });
  const poolFor = (target: PeerTarget): Agent => {
    const key = `${target.node} ${target.url}`;
    let pool = pools.get(key);
    if (pool === undefined) {
      pool = new Agent({
        keepAlive: true,
        maxSockets: 4,
        maxFreeSockets: 2,
        secureContext,
        // Agents are certified by node name, not by address: the answer must come from the node we meant.
        checkServerIdentity: (_host: string, cert: PeerCertificate) =>
          cert.subject?.CN === target.node ? undefined : new PeerRequestError(`${target.url} presented ${String(cert.subject?.CN)}, expected ${target.node}`),
      });
      pools.set(key, pool);
      if (pools.size > MAX_POOLS) {
        const [oldest, old] = pools.entries().next().value!;
        pools.delete(oldest);
        old.destroy();
      }
    }
    return pool;
  };
  return {
    request(target, method, path, json, maxBytes = options.defaultMaxBytes) {
      const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
      const url = new URL(path, target.url);
      return new Promise<PeerResponse>((resolve, reject) => {
        const req = httpsRequest(
          url,
          {
            method,
            agent: poolFor(target),
            timeout: options.timeoutMs,
            headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
          },
          (res) => {
            const chunks: Buffer[] = [];
            let total = 0;
            res.on('data', (chunk: Buffer) => {
              total += chunk.length;
              if (total > maxBytes) {
                res.destroy(new PeerRequestError(`${target.node} answered more than ${maxBytes} bytes`));
                return;
              }
              chunks.push(chunk);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks, total) }));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new PeerRequestError(`${target.node} did not answer within ${options.timeoutMs} ms`)));
        req.on('error', reject);
        req.end(payload);
      });
    },
    open(target, path, contentType) {
      const req = httpsRequest(new URL(path, target.url), { method: 'POST', agent: poolFor(target), headers: { 'content-type': contentType } });
      // An idle stream to a host that vanished is found out by TCP keep-alive rather than never.
      req.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
      req.flushHeaders();
      return req;
    },
    replaceCertificate(certPem) {
      secureContext = createSecureContext({ key: options.keyPem, cert: certPem, ca: options.caPem });
      // A pool keeps the context it was made with: the next request makes a new one, and the old ones' sockets end.
      for (const pool of pools.values()) pool.destroy();
      pools.clear();
    },
    close() {
      for (const pool of pools.values()) pool.destroy();
      pools.clear();
    },
  };
}
