// `npm start`: the main job on one machine. Brings up the sandbox overlay when no overlay is configured, then opens the
// application on it, logged in: in Electron's window where its binary exists, else through the loopback host in a browser.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadOrReport } from '../cli/commands/loadOrReport.ts';
import { processIo } from '../cli/io.ts';
import { findAgentBundle } from '../core/sandbox/agentBundle.ts';
import { describeSandboxUp } from '../core/sandbox/describeSandboxUp.ts';
import { exampleTopology } from '../core/sandbox/exampleTopology.ts';
import { findSandbox } from '../core/sandbox/findSandbox.ts';
import { sandboxDir } from '../core/sandbox/sandboxDir.ts';
import { sandboxUp } from '../core/sandbox/sandboxUp.ts';
import { portOption, startBrowserApp } from './browserApp.ts';
import { findElectron } from './findElectron.ts';
import { untilSignal } from './untilSignal.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const USAGE = `Usage: npm start [-- --access FILE] [--topology FILE] [--web] [--port N] [--no-open]

With no overlay configured, brings up the sandbox overlay on this machine (one agent per root and per leaf of the
example topology, on 127.0.0.1; "raincoat sandbox up" is the same), opens Raincoat on it and logs it in with the
sandbox's kept password: change the topology, press Deploy, and watch every node report. A sandbox already running
is used as it is. Raincoat opens in Electron's window where Electron's binary exists, else in the browser through
the loopback host, whose address (with its access token) is printed.

  --access FILE    a real overlay instead: its access file (written when its roots were enrolled; see the README,
                   "A real overlay"). Raincoat asks for the administrator's password in its login view.
                   RAINCOAT_ACCESS=FILE does the same.
  --topology FILE  the topology the sandbox is brought up with (default: the example, three roots and five leaves)
  --web            the browser even where Electron runs
  --port N         the loopback host's port (default: a free one)
  --no-open        print the address without opening a browser
The sandbox keeps running when Raincoat closes: "raincoat sandbox down" takes it down.
A real overlay's keys are kept sealed under your passphrase (not your password): Raincoat asks for it when a deploy
needs it, or takes it from RAINCOAT_PASSPHRASE. On a machine that keeps nothing of that overlay, Raincoat takes its
deployed topology from the roots at login (the keys open once given the passphrase).`;

interface StartOptions {
  access?: string;
  topology?: string;
  web: boolean;
  port: number;
  open: boolean;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'number') return options;
  const env = process.env;
  const accessFile = options.access ?? (env['RAINCOAT_ACCESS'] || undefined);
  if (accessFile === undefined) {
    const ready = await ensureSandbox(env, options.topology);
    if (ready !== 0) return ready;
  }
  const electron = options.web ? { missing: '--web was given' } : findElectron(env);
  if ('path' in electron) return runElectron(electron.path, accessFile);

  console.error(`Raincoat opens in the browser: ${electron.missing}`);
  const app = await startBrowserApp({ env, port: options.port, ...(accessFile === undefined ? {} : { accessFile: resolve(accessFile) }) });
  for (const line of app.notices) console.error(line);
  console.log(`Raincoat is at ${app.url}`);
  console.log('Ctrl+C stops Raincoat (it logs out first); the overlay keeps running.');
  if (options.open) openBrowser(app.url);
  await untilSignal();
  await app.close();
  return 0;
}

function parseOptions(args: string[]): StartOptions | number {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: { access: { type: 'string' }, topology: { type: 'string' }, web: { type: 'boolean' }, port: { type: 'string' }, 'no-open': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) return (console.log(USAGE), 0);
  const port = portOption(typeof values.port === 'string' ? values.port : undefined);
  if (typeof port === 'string') return (console.error(port), 2);
  return {
    ...(typeof values.access === 'string' ? { access: values.access } : {}),
    ...(typeof values.topology === 'string' ? { topology: values.topology } : {}),
    web: values.web === true,
    port,
    open: values['no-open'] !== true,
  };
}

/** The running sandbox, or a new one: 0 when there is one to open, else the exit code. */
async function ensureSandbox(env: NodeJS.ProcessEnv, topologyFile: string | undefined): Promise<number> {
  const dir = sandboxDir(env);
  const found = await findSandbox(dir);
  if (found.state === 'running') {
    if (topologyFile !== undefined) console.error(`a sandbox is already running in ${dir}; --topology is ignored ("raincoat sandbox down" first to start another)`);
    console.error(`using the sandbox running in ${dir} (${found.nodes.nodes.length} agents)`);
    return 0;
  }
  const topology = topologyFile === undefined ? exampleTopology() : await loadOrReport(topologyFile, processIo, { nameFile: true });
  if (typeof topology === 'number') return topology;
  const bundle = findAgentBundle();
  if (!bundle.ok) return (console.error(bundle.message), 2);
  console.error(`no overlay configured: bringing up the sandbox overlay in ${dir}`);
  const up = await sandboxUp({ dir, topology, bundle: bundle.file, progress: (line) => console.error(`sandbox: ${line}`) });
  console.log(describeSandboxUp(up).join('\n'));
  return 0;
}

/** Electron's window, until it closes; the shell finds the overlay as the loopback host does. */
function runElectron(binary: string, accessFile: string | undefined): Promise<number> {
  const child = spawn(binary, [REPO], { stdio: 'inherit', env: { ...process.env, ...(accessFile === undefined ? {} : { RAINCOAT_ACCESS: resolve(accessFile) }) } });
  return new Promise((done) => {
    child.once('error', (error) => (console.error(`Electron did not start: ${error.message}`), done(1)));
    child.once('exit', (code) => done(code ?? 1));
  });
}

/** Opens the address in the desktop's browser where there is a desktop; prints why not otherwise. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    console.error('no desktop to open a browser on (neither DISPLAY nor WAYLAND_DISPLAY is set): open the address above');
    return;
  }
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.once('error', () => console.error(`could not run ${opener}: open the address above`));
  child.unref();
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
