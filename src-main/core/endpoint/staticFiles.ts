// The built renderer's files as served to a browser (loopback host) or to Electron (app:// protocol): which file a path names, and the headers it goes with.
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export type StaticFile = { ok: true; file: string; type: string } | { ok: false; status: 400 | 404 };

/** The file a URL path names inside `folder` (`/` is `index.html`); nothing outside the folder, only known types. */
export function resolveStaticFile(folder: string, pathname: string): StaticFile {
  const root = normalize(folder + sep);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  const file = normalize(join(root, relative));
  const type = CONTENT_TYPES[extname(file)];
  if (!file.startsWith(root) || type === undefined) return { ok: false, status: 404 };
  return { ok: true, file, type };
}

/**
 * Headers for every renderer file. The CSP allows scripts and styles from the app's own origin only
 * (React sets inline styles through the DOM, which CSP does not govern); `connectSrc` is the one
 * place the page may talk to: the host's own socket, or nothing under Electron, which uses IPC.
 */
export function rendererHeaders(connectSrc: string): Record<string, string> {
  return {
    'Content-Security-Policy':
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; ` +
      `connect-src ${connectSrc}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}
