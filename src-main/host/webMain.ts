// `npm run web`: the application in a browser. Starts the loopback host on the overlay given (else the running sandbox) and prints the address to open, token included.
import { parseArgs } from 'node:util';
import { browserDataFile, portOption, startBrowserApp } from './browserApp.ts';
import { untilSignal } from './untilSignal.ts';

const USAGE = `Usage: npm run web -- [--access FILE] [--state FILE] [--port N]

Serves Raincoat at http://127.0.0.1:PORT and prints the address to open (it carries the access token).
  --access FILE  the overlay's access file (default: the running sandbox's, logged in with its kept password)
  --state FILE   where the pending topology is kept when there is no overlay (default: ${browserDataFile(process.env)})
  --port N       port on 127.0.0.1 (default: a free one)`;

async function main(): Promise<number> {
  let values: { access?: string | undefined; state?: string | undefined; port?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ options: { access: { type: 'string' }, state: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = portOption(values.port);
  if (typeof port === 'string') return (console.error(port), 2);
  const app = await startBrowserApp({
    env: process.env,
    port,
    ...(values.access === undefined ? {} : { accessFile: values.access }),
    ...(values.state === undefined ? {} : { noOverlayFile: values.state }),
  });
  for (const line of app.notices) console.error(line);
  console.log(`Raincoat is at ${app.url}`);
  await untilSignal();
  await app.close();
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`raincoat web: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
