// The application through the loopback host: the core opened on its overlay, served to a browser at 127.0.0.1.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApplication } from '../core/overlayApp/openApplication.ts';
import { PENDING_FILE } from '../core/deployRun/overlayState.ts';
import { startWsHost } from './wsHost.ts';

export interface BrowserAppOptions {
  env: NodeJS.ProcessEnv;
  accessFile?: string;
  /** Where the pending topology is kept when no overlay is configured. */
  noOverlayFile?: string;
  port?: number;
}

export interface BrowserApp {
  /** What to open: the address with its access token. */
  url: string;
  notices: string[];
  /** Logs out and stops serving. */
  close(): Promise<void>;
}

/** `$XDG_CONFIG_HOME/raincoat-web/pending-topology.json`: the browser application's data folder, as Electron's userData is the shell's. */
export function browserDataFile(env: NodeJS.ProcessEnv): string {
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'raincoat-web', PENDING_FILE);
}

/** `--port`'s value: a port on 127.0.0.1 (0, the default, lets the system pick a free one), or why it is none. */
export function portOption(text: string | undefined): number | string {
  const port = text === undefined ? 0 : Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : `--port: expected a port number, found ${JSON.stringify(text)}`;
}

export async function startBrowserApp(options: BrowserAppOptions): Promise<BrowserApp> {
  const app = await openApplication({
    env: options.env,
    ...(options.accessFile === undefined ? {} : { accessFile: options.accessFile }),
    noOverlayFile: options.noOverlayFile ?? browserDataFile(options.env),
  });
  const host = await startWsHost({ endpoint: app.endpoint, port: options.port ?? 0, staticFolder: fileURLToPath(new URL('../../dist/renderer/', import.meta.url)) });
  return {
    url: host.url,
    notices: app.notices,
    async close() {
      await app.close();
      await host.close();
    },
  };
}
