import { describe, expect, it } from 'vitest';
import { rendererHeaders, resolveStaticFile } from './staticFiles.ts';

describe('resolveStaticFile', () => {
  it.each([
    { path: '/', want: { ok: true, file: '/srv/r/index.html', type: 'text/html; charset=utf-8' } },
    { path: '/app.js', want: { ok: true, file: '/srv/r/app.js', type: 'text/javascript; charset=utf-8' } },
    { path: '/app.css', want: { ok: true, file: '/srv/r/app.css', type: 'text/css; charset=utf-8' } },
    { path: '/../r2/app.js', want: { ok: false, status: 404 } },
    { path: '/%2e%2e/secret.js', want: { ok: false, status: 404 } },
    { path: '/a/../../r/app.js', want: { ok: true, file: '/srv/r/app.js', type: 'text/javascript; charset=utf-8' } },
    { path: '/main.ts', want: { ok: false, status: 404 } },
    { path: '/%zz.js', want: { ok: false, status: 400 } },
  ])('$path', ({ path, want }) => {
    expect(resolveStaticFile('/srv/r', path)).toEqual(want);
  });
});

describe('rendererHeaders', () => {
  it('lets the page load its own scripts and styles and connect only where told', () => {
    const csp = rendererHeaders("'none'")['Content-Security-Policy']!;
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
  });
});
