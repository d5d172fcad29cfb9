// The agent's configuration file: its zod schema, defaults, and validation with `path: expected X, found Y` messages.
import { z } from 'zod';
import { parseIpv4 } from '../../src-shared/net/ipv4.ts';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { describe } from '../../src-shared/validation/zodProblems.ts';
import type { Problem } from '../../src-shared/validation/zodProblems.ts';
import { BackendConfigSchema } from '../backends/createBackend.ts';
import { zodProblems } from '../../src-shared/validation/zodProblems.ts';
import { DEFAULT_BODY_LIMITS } from '../../src-shared/protocol/agentApi.ts';
import { DEFAULT_CONNECTION_LIMITS } from '../wire/connectionGuard.ts';

const expecting = (what: string) => ({ error: () => `expected ${what}` });

const NODE = 'a node name such as "root-1" or "leaf-1-2"';
const NodeNameSchema = z.string(expecting(NODE)).refine((s) => parseNodeName(s) !== undefined, expecting(NODE));

const HOST = 'an IPv4 address to listen on, such as "0.0.0.0"';
const PORT = 'a TCP port from 0 to 65535 (0: any free port)';
const URL_TEXT = 'an https URL with host and port only, such as "https://203.0.113.5:7443"';
const DIR = 'an absolute directory path';

const integer = (text: string, min: number, max: number) => z.number(expecting(text)).int(expecting(text)).min(min, expecting(text)).max(max, expecting(text));
const milliseconds = (what: string, min: number, max: number) => integer(`${what}: an integer number of milliseconds from ${min} to ${max}`, min, max);
const bytes = (min: number, max: number) => integer(`an integer number of bytes from ${min} to ${max}`, min, max);
const connections = (what: string, max: number) => integer(`${what}: an integer from 1 to ${max}`, 1, max);

/** See wire/connectionGuard.ts; `total` is held to half the open-file limit besides. */
const ConnectionLimitsSchema = z
  .strictObject(
    {
      total: connections('connections in all', 1_000_000).default(DEFAULT_CONNECTION_LIMITS.total),
      uncertified: connections('connections without a control-CA certificate', 1_000_000).default(DEFAULT_CONNECTION_LIMITS.uncertified),
      uncertifiedPerAddress: connections('of those, from one address', 1_000_000).default(DEFAULT_CONNECTION_LIMITS.uncertifiedPerAddress),
      perNode: connections("one certified node's connections", 1_000).default(DEFAULT_CONNECTION_LIMITS.perNode),
    },
    expecting('an object {"total": 4096, "uncertified": 256, "uncertifiedPerAddress": 32, "perNode": 16}'),
  )
  .superRefine(
    (c, ctx) => {
      if (c.uncertified > c.total) ctx.addIssue({ code: 'custom', path: ['uncertified'], message: `expected at most the total (${c.total})`, input: c.uncertified });
      if (c.uncertifiedPerAddress > c.uncertified) {
        ctx.addIssue({ code: 'custom', path: ['uncertifiedPerAddress'], message: `expected at most the uncertified (${c.uncertified})`, input: c.uncertifiedPerAddress });
      }
    },
    // Compared only once each is in range: a number out of range has said what is wrong with it.
    { when: (payload) => payload.issues.length === 0 },
  );

const NeighbourSchema = z.strictObject(
  {
    node: NodeNameSchema,
    url: z.string(expecting(URL_TEXT)).refine(isBareHttpsUrl, expecting(URL_TEXT)),
  },
  expecting('a neighbour object {"node": "root-2", "url": "https://…:port"}'),
);

export const AgentConfigSchema = z.strictObject(
  {
    node: NodeNameSchema,
    listen: z.strictObject(
      {
        host: z.string(expecting(HOST)).refine((s) => parseIpv4(s) !== undefined, expecting(HOST)),
        port: integer(PORT, 0, 65535),
      },
      expecting('an object {"host": "0.0.0.0", "port": 7443}'),
    ),
    dataDir: z.string(expecting(DIR)).startsWith('/', expecting(DIR)),
    /** How this node's configuration is put into effect (see backends/createBackend.ts). */
    backend: BackendConfigSchema,
    /**
     * A root's tunnel peers and leaves, a leaf's root, as bootstrap wrote them. Once a deploy that carries its topology
     * is in effect, that topology decides who the neighbours are (see neighbours/neighboursFromTopology.ts), and these
     * entries only give their addresses, winning over the topology's (they may be NAT-forwarded ones).
     */
    neighbours: z.array(NeighbourSchema, expecting('an array of neighbours')).default([]),
    /**
     * Where nodes that are not neighbours now, but may become ones by a deploy (a tunnel added), are reached when not at
     * the address the topology gives them (NAT-forwarded ports; the sandbox's loopback ports). The neighbours' own
     * entries win.
     */
    addresses: z.array(NeighbourSchema, expecting('an array of addresses {"node", "url"}')).default([]),
    heartbeatIntervalMs: milliseconds('the heartbeat interval', 100, 3_600_000).default(5_000),
    adminIdleMs: milliseconds('the administrator idle expiry', 1_000, 86_400_000).default(30 * 60_000),
    deployConfirmMs: milliseconds('the deploy confirmation deadline', 1_000, 86_400_000).default(10 * 60_000),
    maxBodyBytes: bytes(1_024, 16 * 1024 * 1024).default(DEFAULT_BODY_LIMITS.message),
    maxPackageBytes: bytes(1_024, 512 * 1024 * 1024).default(DEFAULT_BODY_LIMITS.package),
    connections: ConnectionLimitsSchema.prefault({}),
    /** Test mode: test-only endpoints (originate a flood, read per-message handling times), and the agent stops when its parent process is gone. Never on in production. */
    testing: z.boolean(expecting('true or false')).default(false),
  },
  expecting('an agent configuration object'),
);

export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type Neighbour = AgentConfig['neighbours'][number];

export type ConfigResult = { ok: true; config: AgentConfig } | { ok: false; problems: Problem[] };

export function validateAgentConfig(input: unknown): ConfigResult {
  const parsed = AgentConfigSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, 'config') };
  const config = parsed.data;
  const problems: Problem[] = [];
  const firstAt = new Map<string, number>();
  config.neighbours.forEach((n, index) => {
    const earlier = firstAt.get(n.node);
    if (n.node === config.node) problems.push({ path: `neighbours[${index}].node`, message: `${describe(n.node)} is this node itself` });
    else if (earlier !== undefined) problems.push({ path: `neighbours[${index}].node`, message: `${describe(n.node)} is already listed at neighbours[${earlier}]` });
    else firstAt.set(n.node, index);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

function isBareHttpsUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.port !== '' && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password && !text.endsWith('/');
}
