// The `raincoat` command line: plain Node, no Electron; dispatches to one module per command.
import type { CliIo } from './io.ts';
import { EXIT, processIo } from './io.ts';
import type { Command } from './commands/command.ts';
import { validateCommand } from './commands/validate.ts';
import { planCommand } from './commands/plan.ts';
import { diffCommand } from './commands/diff.ts';
import { renderCommand } from './commands/render.ts';
import { deployCommand } from './commands/deploy.ts';
import { loginCommand } from './commands/login.ts';
import { logoutCommand } from './commands/logout.ts';
import { statusCommand } from './commands/status.ts';
import { auditCommand } from './commands/audit.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { rotatePskCommand } from './commands/rotatePsk.ts';
import { revokeCommand } from './commands/revoke.ts';
import { restoreCommand } from './commands/restore.ts';
import packageJson from '../../package.json' with { type: 'json' };

export const commands: Command[] = [validateCommand, planCommand, diffCommand, renderCommand, deployCommand, loginCommand, logoutCommand, statusCommand, auditCommand, sandboxCommand, rotatePskCommand, revokeCommand, restoreCommand];

// The summaries line up two spaces past the longest command name.
const NAME_WIDTH = Math.max(...commands.map((c) => c.name.length)) + 2;

const USAGE = `Usage: raincoat COMMAND [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(NAME_WIDTH)}${c.summary}`).join('\n')}

Run "raincoat COMMAND --help" for a command's options, "raincoat --version" for the version.`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.out(`raincoat ${packageJson.version}`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`raincoat: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  return command.run(rest, io);
}

export async function main(): Promise<void> {
  try {
    process.exitCode = await runCli(process.argv.slice(2), processIo);
  } catch (error) {
    // Anything a command did not foresee (a full disk, a permission) gets one line, not a stack trace.
    processIo.err(`raincoat: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT.usage;
  }
}
