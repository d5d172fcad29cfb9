// The command line's end of the sandbox host's control channel (src-shared/sandbox/sandboxControl.ts): one typed call
// per route over HTTP to 127.0.0.1 with the host's token; a refusal or no answer is a SandboxError saying why.
import { request } from 'node:http';
import { ControlRefusalSchema, sandboxControlApi } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { ControlAnswer, ControlBody, ControlRoute, HostFile } from '../../../src-shared/sandbox/sandboxControl.ts';
import { formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import { SandboxError } from './sandboxError.ts';

export type ControlCall = <K extends ControlRoute>(route: K, ...body: ControlBody<K> extends undefined ? [] : [ControlBody<K>]) => Promise<ControlAnswer<K>>;

/** The host's answers are small (a status line per node); more is not the host speaking. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** `timeoutMs`: silence on the connection for this long fails the call (the host answers at once, or it is stuck). */
export function controlClient(host: Pick<HostFile, 'port' | 'token'>, timeoutMs = 30_000): ControlCall {
  return (route, ...body) =>
    new Promise((resolve, reject) => {
      const spec = sandboxControlApi[route];
      const payload = body.length > 0 ? Buffer.from(JSON.stringify(body[0])) : undefined;
      const fail = (why: string) => reject(new SandboxError(`the sandbox host did not answer ${route}: ${why}`));
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: spec.method,
          path: spec.path,
          headers: { authorization: `Bearer ${host.token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) res.destroy(new Error(`an answer over ${MAX_ANSWER_BYTES} bytes`));
            else chunks.push(chunk);
          });
          res.on('error', (error) => fail(error.message));
          res.on('end', () => {
            let json: unknown;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              return fail(`HTTP ${res.statusCode} that is not JSON`);
            }
            if (res.statusCode !== 200) {
              const refusal = ControlRefusalSchema.safeParse(json);
              return reject(new SandboxError(refusal.success ? refusal.data.reason : `HTTP ${res.statusCode}`));
            }
            const answer = spec.answer.safeParse(json, { reportInput: true });
            if (answer.success) resolve(answer.data as ControlAnswer<typeof route>);
            else fail(zodProblems(answer.error, 'answer').map(formatProblem).join('; '));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      req.on('error', (error) => fail(error.message));
      req.end(payload);
    });
}
