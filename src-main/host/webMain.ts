// `npm run web`: the application in a browser. Starts the loopback host and prints the address to open, token included.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openAppEndpoint } from '../core/endpoint/openAppEndpoint.ts';
import { startWsHost } from './wsHost.ts';

const USAGE = `Usage: node src-main/host/webMain.ts [--state FILE] [--port N]

Serves Raincoat's editor at http://127.0.0.1:PORT and prints the address to open (it carries the access token).
  --state FILE  where the pending topology is kept (default: $XDG_CONFIG_HOME/raincoat-web/pending-topology.json)
  --port N      port on 127.0.0.1 (default: a free one)`;

async function main(): Promise<number> {
  let values: { state?: string | undefined; port?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ options: { state: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: expected a port number, found ${JSON.stringify(values.port)}`);
    return 2;
  }
  const configHome = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  const stateFile = values.state ?? join(configHome, 'raincoat-web', 'pending-topology.json');
  const { endpoint, store } = await openAppEndpoint(stateFile);
  if (store.recovery) console.error(`warning: ${store.recovery.reason}; kept aside as ${store.recovery.keptAs}; starting empty`);
  const host = await startWsHost({ endpoint, port, staticFolder: fileURLToPath(new URL('../../dist/renderer/', import.meta.url)) });
  console.log(`Raincoat is at ${host.url}`);
  console.log(`pending topology: ${stateFile}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`raincoat web: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
