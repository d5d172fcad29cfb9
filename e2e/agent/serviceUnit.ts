// Reads how the agent's systemd unit starts Node (its options and environment), so tests and benchmarks run agents the same way.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVICE_UNIT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/agent/raincoat-agent.service');

export interface AgentRuntime {
  /** Node's own options, between the node binary and the bundle. */
  nodeArgs: string[];
  /** The unit's Environment= assignments. */
  env: Record<string, string>;
  /** The agent's arguments after the bundle. */
  agentArgs: string[];
  bundle: string;
}

/** The runtime a unit file describes; throws when it has no ExecStart that runs a `.mjs` bundle with Node. */
export function agentRuntimeFromUnit(text: string): AgentRuntime {
  const lines = text.split('\n').map((line) => line.trim());
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith('Environment='))) {
    for (const assignment of line.slice('Environment='.length).split(/\s+/).filter(Boolean)) {
      const at = assignment.indexOf('=');
      if (at <= 0) throw new Error(`the unit's Environment line has no NAME=value: ${line}`);
      env[assignment.slice(0, at)] = assignment.slice(at + 1);
    }
  }
  const exec = lines.find((l) => l.startsWith('ExecStart='));
  if (exec === undefined) throw new Error('the unit has no ExecStart line');
  const words = exec.slice('ExecStart='.length).split(/\s+/).filter(Boolean);
  const bundleAt = words.findIndex((w) => w.endsWith('.mjs'));
  if (!/(^|\/)node$/.test(words[0] ?? '') || bundleAt < 0) throw new Error(`ExecStart does not run a .mjs bundle with node: ${exec}`);
  return { nodeArgs: words.slice(1, bundleAt), env, agentArgs: words.slice(bundleAt + 1), bundle: words[bundleAt]! };
}

export function shippedAgentRuntime(): AgentRuntime {
  return agentRuntimeFromUnit(readFileSync(SERVICE_UNIT, 'utf8'));
}
