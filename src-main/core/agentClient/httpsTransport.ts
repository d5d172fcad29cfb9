// HTTPS to one agent as the application: the control CA the only trust, the node's name checked in its certificate
// whatever address is dialled, no client certificate, bounded time and answer size. Failures are values, never throws.
import { Agent, request as httpsRequest } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { AgentRequest, AgentTransport, Exchange, FailedStage } from './exchange.ts';
import { systemTimers } from './timers.ts';
import type { Timers } from './timers.ts';

export interface HttpsTransportOptions {
  /** The node we mean: its certificate's common name must be this. */
  node: string;
  /** Where it listens, e.g. `https://203.0.113.10:7443`. */
  url: string;
  /** The control CA (PEM), trusted alone. */
  caPem: string;
  /** Until the TLS handshake is done (a dialled address where nothing answers fails here). */
  connectTimeoutMs?: number;
  /** The whole request, from dialling to the answer's last byte: a deploy's body is large, so generous. */
  requestTimeoutMs?: number;
  /** The agent's answers are small (a status snapshot is the largest): more than this is not an answer of the agent. */
  maxAnswerBytes?: number;
  timers?: Timers;
}

const DEFAULT_TIMEOUTS = { connectTimeoutMs: 10_000, requestTimeoutMs: 120_000, maxAnswerBytes: 4 * 1024 * 1024 };

export function createHttpsTransport(options: HttpsTransportOptions): AgentTransport {
  const { node, url, timers = systemTimers } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestTimeoutMs;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_TIMEOUTS.maxAnswerBytes;
  // Kept-alive connections: a login's progress and the status are polled. The name check lives in the pool's options
  // because Node does not reuse a connection for a request that brings its own.
  const pool = new Agent({
    keepAlive: true,
    maxSockets: 4,
    ca: options.caPem,
    checkServerIdentity: (_host: string, cert: PeerCertificate) => (cert.subject?.CN === node ? undefined : new WrongNode(`its certificate names ${String(cert.subject?.CN)}`)),
  });

  function send(request: AgentRequest): Promise<Exchange> {
    return new Promise((resolve) => {
      let stage: FailedStage = 'connect';
      let settled = false;
      const finish = (exchange: Exchange) => {
        if (settled) return;
        settled = true;
        cancelConnect();
        cancelRequest();
        resolve(exchange);
      };
      const fail = (code: 'unreachable' | 'timeout' | 'bad_answer', reason: string, at: FailedStage = stage) => {
        finish({ answered: false, code, stage: at, reason });
        req.destroy();
      };
      const req = httpsRequest(
        new URL(request.path, url),
        { method: request.method, agent: pool, headers: { ...request.headers, ...(request.payload ? { 'content-length': String(request.payload.length) } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          let total = 0;
          res.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > maxAnswerBytes) fail('bad_answer', `${node} answered more than ${maxAnswerBytes} bytes`);
            else chunks.push(chunk);
          });
          res.on('end', () => finish({ answered: true, status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks, total) }));
          res.on('error', (error) => fail('unreachable', `${node} at ${url}: the answer broke off: ${error.message}`));
        },
      );
      const cancelConnect = timers.after(connectTimeoutMs, () => fail('timeout', `${node} at ${url}: no connection within ${connectTimeoutMs} ms`, 'connect'));
      const cancelRequest = timers.after(requestTimeoutMs, () => fail('timeout', `${node} at ${url}: no answer within ${requestTimeoutMs} ms`));
      const connected = () => {
        stage = 'exchange';
        cancelConnect();
      };
      let socket: TLSSocket | undefined;
      req.on('socket', (s) => {
        socket = s as TLSSocket;
        if (req.reusedSocket) connected();
        else socket.once('secureConnect', connected);
      });
      req.on('error', (error) => {
        if (error instanceof WrongNode) fail('unreachable', `${node} at ${url} is not the node we meant: ${error.message}`, 'identity');
        // Set by the handshake when the chain does not lead to the control CA: the code OpenSSL gives.
        else if (socket?.authorizationError) fail('unreachable', `${node} at ${url}: its certificate is not the control CA's (${String(socket.authorizationError)})`, 'identity');
        else fail('unreachable', `${node} at ${url}: ${error.message}`);
      });
      req.end(request.payload);
    });
  }

  return { send, close: () => pool.destroy() };
}

/** The certificate is the control CA's but names another node: what we dialled is not what we meant. */
class WrongNode extends Error {}
