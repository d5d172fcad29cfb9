// The agent's entry point (and the bundle's): runs the command line against the real process.
import { startAgent } from './agent.ts';
import type { AgentLog } from './agentLog.ts';
import { logLine } from './agentLog.ts';
import { runCli, serveUntilSignalled } from './cli.ts';
import { systemClock } from './clock.ts';
import { runSandboxHost } from './sandbox/runSandboxHost.ts';

/** One JSON object per line on stdout; never secrets (keys and tokens are not passed here). */
const log: AgentLog = (event, fields) => {
  process.stdout.write(logLine(event, fields));
};

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  serve: serveUntilSignalled((config) => startAgent(config, log, systemClock), log, systemClock),
  hostSandbox: (dir) => runSandboxHost(dir, { startAgent: (config, agentLog) => startAgent(config, agentLog, systemClock), clock: systemClock, log }),
});
// Exit explicitly: a kept-alive peer connection or a stray timer must not keep a stopped agent around.
process.exit(code);
