// The loopback host's HTTP side: the built renderer's files, GET and HEAD only, with the renderer's headers.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveStaticFile } from '../core/endpoint/staticFiles.ts';

/** An HTTP handler for the loopback host: GET and HEAD only. */
export function serveStaticFiles(folder: string, headers: Record<string, string>): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const reply = (status: number, type: string, body: Buffer | string) => {
      response.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const text = 'text/plain; charset=utf-8';
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, text, 'GET or HEAD only\n');
    const pathname = new URL(request.url ?? '/', 'http://host').pathname;
    const resolved = resolveStaticFile(folder, pathname);
    if (!resolved.ok) return reply(resolved.status, text, resolved.status === 400 ? 'bad path\n' : 'not found\n');
    try {
      return reply(200, resolved.type, await readFile(resolved.file));
    } catch (error) {
      if (pathname === '/' || pathname === '/index.html') {
        return reply(503, text, `The renderer is not built (${folder} has no index.html): run node build.mjs\n`);
      }
      const code = (error as NodeJS.ErrnoException).code;
      return reply(code === 'ENOENT' || code === 'EISDIR' ? 404 : 500, text, 'not found\n');
    }
  };
}
