// Reads the agent's configuration file and validates it: unreadable, not JSON, invalid (every problem), or a config.
import { loadJsonFile } from '../../src-node/loadJsonFile.ts';
import { formatProblem } from '../../src-shared/validation/zodProblems.ts';
import { validateAgentConfig } from './agentConfig.ts';
import type { AgentConfig } from './agentConfig.ts';

export type LoadedConfig = { ok: true; config: AgentConfig } | { ok: false; message: string };

export async function loadAgentConfig(file: string): Promise<LoadedConfig> {
  const loaded = await loadJsonFile(file);
  if (!loaded.ok) return loaded;
  const result = validateAgentConfig(loaded.value);
  if (result.ok) return result;
  return { ok: false, message: result.problems.map((p) => `${file}: ${formatProblem(p)}`).join('\n') };
}
