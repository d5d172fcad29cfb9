// The editor in a browser for UI tests: `npm run web`'s host in a home of its own, a contract client to it, Debian's
// Chromium with the editor open in one page, and a temporary folder for files; one `close()` ends them all.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import type { Client } from '../../src-shared/contract/client.ts';
import { createClient } from '../../src-shared/contract/client.ts';
import { socketTransport } from '../../src-shared/contract/socketTransport.ts';
import { buildApp } from './buildApp.ts';
import { launchChromium, openPage } from './chromium.ts';
import { WebHostProcess } from './webHostProcess.ts';
import type { HostKind } from './webHostProcess.ts';
import type { UserHome } from '../userHome.testkit.ts';

export interface EditorSession {
  host: WebHostProcess;
  client: Client;
  page: Page;
  /** What the page reported (see openPage): a clean run has none. */
  errors: string[];
  /** A folder of the test's own, removed on close. */
  tmp: string;
  /** Ends the page, the browser, the client and the host (printing the host's output when the page reported errors), and removes `tmp`. */
  close(): Promise<void>;
}

/**
 * `prepare` runs before the page opens, with the client (to open a fixture, say). `on` runs another kind of host
 * (`start`, on a sandbox) in a home the test made (and removes).
 */
export async function openEditorSession(name: string, prepare?: (client: Client, tmp: string) => Promise<void>, on?: { kind: HostKind; home: UserHome }): Promise<EditorSession> {
  const tmp = await mkdtemp(join(tmpdir(), `raincoat-${name}-`));
  buildApp();
  const host = await WebHostProcess.start(on?.kind, on?.home);
  const transport = socketTransport(host.socketUrl, (url) => new WebSocket(url));
  const client = createClient(transport);
  await prepare?.(client, tmp);
  const browser = await launchChromium();
  const { page, errors } = await openPage(browser, host.url, { width: 1400, height: 850 });
  return {
    host,
    client,
    page,
    errors,
    tmp,
    async close() {
      transport.close();
      await browser.close();
      if (errors.length > 0) console.log(`host output:\n${host.output()}`);
      await host.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
