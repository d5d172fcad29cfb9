// Serves the built renderer to Electron as app://raincoat/ (Electron's advice over file://), with the same CSP the loopback host sends.
import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { rendererHeaders, resolveStaticFile } from '../core/endpoint/staticFiles.ts';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://raincoat`;

/** Must run before the app is ready: a standard, secure scheme gets an origin, so 'self' in the CSP means it. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** The renderer under Electron talks to main over IPC only, so the CSP allows no connection at all. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererFolder: string): void {
  const headers = rendererHeaders("'none'");
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const resolved = url.host === 'raincoat' ? resolveStaticFile(rendererFolder, url.pathname) : ({ ok: false, status: 404 } as const);
    if (!resolved.ok) return new Response('not found', { status: resolved.status, headers });
    try {
      return new Response(await readFile(resolved.file), { headers: { ...headers, 'Content-Type': resolved.type } });
    } catch {
      return new Response('not found', { status: 404, headers });
    }
  });
}
