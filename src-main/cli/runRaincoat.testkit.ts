// Runs the command line in this process with what it writes captured: how the command tests read its answers.
import { runCli } from './raincoat.ts';

export async function runRaincoat(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}
