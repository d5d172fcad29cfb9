// Real agents to run `raincoat` commands against as a user does (the launcher, a process of its own): a cluster with
// an access file (dry-run backend), the administrator's password set, the keys' passphrase given, and each node's
// dry-run folder to look into.
import { afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OverlayAccess } from '../../src-shared/overlay/overlayAccess.ts';
import type { NodeStatus } from '../../src-shared/protocol/messages.ts';
import { startCluster } from '../agent/agentCluster.ts';
import type { Cluster } from '../agent/agentCluster.ts';
import { answerOf } from '../agent/answerOf.ts';
import { testBundle } from '../agent/testBundle.ts';
import { onProcessEnd } from '../lab/exitCleanup.ts';
import { waitFor } from '../lab/wait.ts';
import { runRaincoat } from '../raincoatCommand.testkit.ts';
import type { CommandResult } from '../raincoatCommand.testkit.ts';

export const PASSWORD = 'e2e deploy password';
/** The passphrase the overlay's keys are sealed under, given as a user gives it to a command: in RAINCOAT_PASSPHRASE. */
export const PASSPHRASE = 'e2e keys passphrase, long enough';

export interface DeployCluster {
  cluster: Cluster;
  /** A path in the test's folder, which holds `access.json` and the state folder `state`. */
  at(...parts: string[]): string;
  /** `raincoat ARGS` with the overlay's password and keys' passphrase in its environment and no sandbox to fall back on. */
  raincoat(...args: string[]): Promise<CommandResult>;
  /** The same, with `env` over that environment (another passphrase). */
  raincoatWith(env: Record<string, string>, ...args: string[]): Promise<CommandResult>;
  /** Every node as root-1 sees it. */
  statuses(): Promise<Map<string, NodeStatus>>;
  /** Every file of a node's dry-run folder with when it was last written and its length. */
  dryRunFiles(node: string): Map<string, string>;
  /** A file of a node's dry-run folder, as written. */
  dryRunFile(node: string, file: string): string;
}

/** Starts the cluster in a folder of its own; both are removed after the test file, also when it fails. */
export async function startDeployCluster(neighbours: ReadonlyMap<string, readonly string[]>): Promise<DeployCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'raincoat-cli-e2e-'));
  const at = (...parts: string[]) => path.join(dir, ...parts);
  const unregister = onProcessEnd(() => rmSync(dir, { recursive: true, force: true }));
  // Registered before the cluster starts, so that a start that fails half-way is cleaned up too.
  const running: { cluster?: Cluster } = {};
  afterAll(async () => {
    await running.cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    unregister();
  });
  const started = await startCluster({ neighbours, bundle: await testBundle(), config: { heartbeatIntervalMs: 300 } });
  running.cluster = started;
  const access: OverlayAccess = {
    version: 1,
    name: 'e2e',
    entry: 'root-1',
    controlCaPem: started.controlCa.certPem,
    nodes: Object.fromEntries(
      [...started.agents.values()].map((a) => [a.node, { url: a.url, certPem: readFileSync(path.join(a.dataDir, 'identity', 'cert.pem'), 'utf8'), backend: 'dry-run' as const }]),
    ),
  };
  writeFileSync(at('access.json'), JSON.stringify(access));

  // The first login sets the administrator's password (the default one is taken once the other roots were heard).
  const login = await waitFor(
    async () => {
      const answer = await started.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: PASSWORD });
      return answer.status !== 503 && answer;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: 'root-1 to take the default password' },
  );
  const session = answerOf(login).session;
  await waitFor(async () => answerOf(await started.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'the first login' });
  answerOf(await started.app('root-1', session).logout());

  const dryRunDir = (node: string) => path.join(started.agents.get(node)!.dataDir, 'dry-run');
  const raincoatWith = (env: Record<string, string>, ...args: string[]) =>
    runRaincoat({ ...process.env, RAINCOAT_PASSWORD: PASSWORD, RAINCOAT_PASSPHRASE: PASSPHRASE, RAINCOAT_SANDBOX_DIR: at('no-sandbox'), ...env }, 60_000, args);
  return {
    cluster: started,
    at,
    raincoat: (...args) => raincoatWith({}, ...args),
    raincoatWith,
    statuses: async () => {
      const { json } = await started.request('root-1', 'GET', '/v1/status');
      return new Map((json as { nodes: NodeStatus[] }).nodes.map((n) => [n.node, n]));
    },
    dryRunFiles: (node) => {
      const root = dryRunDir(node);
      const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      return new Map(
        files.map((e) => {
          const file = path.join(e.parentPath, e.name);
          return [path.relative(root, file), `${statSync(file).mtimeMs} ${readFileSync(file, 'utf8').length}`];
        }),
      );
    },
    dryRunFile: (node, file) => readFileSync(path.join(dryRunDir(node), file), 'utf8'),
  };
}
