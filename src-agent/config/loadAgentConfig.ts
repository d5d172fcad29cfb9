// Reads the agent's configuration file and validates it: unreadable, not JSON, invalid (every problem), or a config.
import { readFile } from 'node:fs/promises';
import { cannotReadReason } from '../../src-shared/validation/cannotReadReason.ts';
import { formatProblem } from '../../src-shared/validation/zodProblems.ts';
import { validateAgentConfig } from './agentConfig.ts';
import type { AgentConfig } from './agentConfig.ts';

export type LoadedConfig = { ok: true; config: AgentConfig } | { ok: false; message: string };

export async function loadAgentConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = cannotReadReason(error);
    return { ok: false, message: `${file}: cannot read: ${reason}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${file}: not JSON: ${(error as Error).message}` };
  }
  const result = validateAgentConfig(value);
  if (result.ok) return result;
  return { ok: false, message: result.problems.map((p) => `${file}: ${formatProblem(p)}`).join('\n') };
}
