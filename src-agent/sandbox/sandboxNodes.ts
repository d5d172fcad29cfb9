// The sandbox's agents from its topology: one per root and per leaf, each with the neighbours a deployed topology would
// give it, reached on 127.0.0.1, and the configuration it runs with: its own folder, port and dry-run backend.
import path from 'node:path';
import { SANDBOX_FILES } from '../../src-shared/sandbox/sandboxControl.ts';
import type { SandboxSpec } from '../../src-shared/sandbox/sandboxControl.ts';
import { sandboxNodeNames } from '../../src-shared/sandbox/sandboxNodeNames.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import type { AgentConfig } from '../config/agentConfig.ts';
import { AgentConfigSchema } from '../config/agentConfig.ts';
import { neighboursFromTopology } from '../neighbours/neighboursFromTopology.ts';

export interface SandboxNode {
  node: string;
  /** Names only: their addresses are the ports their agents got, known once they listen. */
  neighbours: string[];
}

export function sandboxNodes(topology: Topology): SandboxNode[] {
  // The agents' own rule decides who the neighbours are (a root's tunnel peers and leaves, a leaf's root); the
  // port is irrelevant here, since only the names are kept.
  const overlay = { topology, agentPort: 1 };
  return sandboxNodeNames(topology).map((node) => ({ node, neighbours: (neighboursFromTopology(node, overlay) ?? []).map((n) => n.node) }));
}

/**
 * Every agent of the sandbox, and the application, connects from 127.0.0.1: a share per source address, which keeps an
 * attacker on a few addresses from taking all of an agent's uncertified connections, would here be shared by a root's
 * neighbours in their TLS handshakes and the application. Nothing but this machine reaches the sandbox's agents.
 */
const SANDBOX_CONNECTIONS = { uncertified: 1024, uncertifiedPerAddress: 1024 };

export function nodeDataDir(dir: string, node: string): string {
  return path.join(dir, SANDBOX_FILES.nodes, node);
}

export function loopbackUrl(port: number): string {
  return `https://127.0.0.1:${port}`;
}

/**
 * One agent's configuration. `ports` holds the ports of the agents that listen so far: a neighbour not among them is
 * left out (it is listed once it listens, by a reload). Port 0 asks for any free port.
 */
export function sandboxAgentConfig(dir: string, spec: Pick<SandboxSpec, 'heartbeatIntervalMs'>, node: SandboxNode, port: number, ports: ReadonlyMap<string, number>): AgentConfig {
  const dataDir = nodeDataDir(dir, node.node);
  return AgentConfigSchema.parse({
    node: node.node,
    listen: { host: '127.0.0.1', port },
    dataDir,
    backend: { kind: 'dry-run', dir: path.join(dataDir, 'dry-run') },
    neighbours: node.neighbours.flatMap((n) => {
      const at = ports.get(n);
      return at === undefined ? [] : [{ node: n, url: loopbackUrl(at) }];
    }),
    // A root may get a tunnel to any other root by a deploy: it finds it on this machine, not at its internet address.
    addresses: node.node.startsWith('root-') ? [...ports].filter(([other]) => other.startsWith('root-') && other !== node.node && !node.neighbours.includes(other)).map(([other, at]) => ({ node: other, url: loopbackUrl(at) })) : [],
    heartbeatIntervalMs: spec.heartbeatIntervalMs,
    connections: SANDBOX_CONNECTIONS,
  });
}
