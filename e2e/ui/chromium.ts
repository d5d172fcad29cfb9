// Debian's Chromium driven by Playwright: where it is, why a test cannot run without it (and skipping it then), the
// flags a headless CI run needs, and a page that records every error it reports.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';
import type { Browser, Page } from 'playwright';
import type { TestContext } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why Chromium cannot be used here, or null when it can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is missing (apt-get install chromium); the browser tests need it`;
}

/** Skips the test where Chromium is missing, printing why. */
export function needChromium(ctx: TestContext): void {
  const missing = chromiumMissing();
  if (missing) {
    console.log(`skipped: ${missing}`);
    ctx.skip(missing);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page opened at `url`, with `errors` collecting the console errors, failed requests and CSP violations it reports: a clean run has none. */
export async function openPage(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}
