// The shape of a `raincoat` command and the argument parsing they share (node:util parseArgs plus --help).
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';
import { count } from '../../../src-shared/text/count.ts';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments; prints the usage and returns an exit code instead when --help was asked
 * for (0) or the arguments are wrong (2).
 */
export function parseCommandArgs<O extends Options>(
  command: Pick<Command, 'name' | 'usage'>,
  args: string[],
  options: O,
  /** Exactly this many file arguments, or up to `atMost` arguments (optional ones). */
  positionals: number | { atMost: number },
  io: CliIo,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } | number {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNumberValues(args, options), options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`raincoat ${command.name}: ${(error as Error).message}\n\n${command.usage}`);
    return EXIT.usage;
  }
  if ((parsed.values as Record<string, unknown>).help) {
    io.out(command.usage);
    return EXIT.ok;
  }
  const given = parsed.positionals.length;
  if (typeof positionals === 'number' ? given !== positionals : given > positionals.atMost) {
    const expected = typeof positionals === 'number' ? count(positionals, 'file argument') : `at most ${count(positionals.atMost, 'argument')}`;
    io.err(`raincoat ${command.name}: expected ${expected}, got ${given}\n\n${command.usage}`);
    return EXIT.usage;
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/**
 * `--clients -3` becomes `--clients=-3`: Node would take `-3` for an option and refuse the pair as ambiguous (with
 * the whole usage after it), while no option here looks like a number, so the command can say what it expects.
 */
function joinNumberValues(args: readonly string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === '--') return [...joined, ...args.slice(i)];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}
