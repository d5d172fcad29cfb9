// The main job on the sandbox overlay through the contract, as the application's page drives it, with what each step
// must show: logged in holding the lock, a deploy planned, approved and run by every node, the lock free after quitting.
// Transport-blind: the same steps run over Electron's bridge and over the stand-in's IPC handlers.
import { expect } from 'vitest';
import type { Client } from '../../src-shared/contract/client.ts';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { waitFor } from '../lab/wait.ts';
import type { UserHome } from '../userHome.testkit.ts';

/** The example topology's nodes, in the order the application lists them. */
const NODES = ['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'leaf-2-2', 'root-3', 'leaf-3-1'];

/** overlay.get until `check` holds, with the last state in the timeout's message. */
async function untilState(client: Client, what: string, check: (state: OverlayState) => boolean, timeoutMs: number): Promise<OverlayState> {
  let last: OverlayState | undefined;
  return waitFor(
    async () => {
      last = await client.api['overlay.get']();
      return check(last) && last;
    },
    { timeoutMs, intervalMs: 200, what, describe: () => `last overlay state: ${JSON.stringify(last)}` },
  );
}

/** The application logs in to the sandbox by itself, with its kept password; `raincoat login` is then refused the lock. */
export async function expectLoggedInHoldingTheLock(client: Client, appEnv: UserHome): Promise<void> {
  const state = await untilState(client, 'the application to log in to the sandbox', (s) => s.session.phase === 'in', 30_000);
  expect(state.overlay).toMatchObject({ name: 'sandbox', entry: 'root-1', sandbox: true, nodes: NODES.length });
  expect(state.session).toMatchObject({ phase: 'in', user: 'administrator', entry: 'root-1' });
  const second = await appEnv.raincoat('login');
  expect(second.code, second.out + second.err).not.toBe(0);
  expect(second.err).toMatch(/the administrator lock is held/);
}

/** deploy.start, the plan (every node added), deploy.approve, every node applied, then running the new topology. */
export async function expectDeployToEveryNode(client: Client): Promise<void> {
  expect(await client.api['deploy.start']()).toEqual({ ok: true });
  const planned = await untilState(client, 'the deploy plan', (s) => s.deploy?.phase === 'planned' || s.deploy?.phase === 'done', 60_000);
  expect(planned.deploy!.plan!.nodes.map((n) => [n.node, n.change])).toEqual(NODES.map((node) => [node, 'added']));
  const topologyId = planned.deploy!.topologyId!;
  expect(await client.api['deploy.approve']({ topologyId })).toEqual({ ok: true });
  const done = await untilState(client, 'the deploy to be done', (s) => s.deploy?.phase === 'done', 90_000);
  expect(done.deploy!.outcome).toEqual({ kind: 'followed', applied: NODES.length, failed: 0, unreachable: 0, confirmed: true });
  expect(done.deploy!.nodes.map((n) => [n.node, n.state])).toEqual(NODES.map((node) => [node, 'applied']));
  const running = (s: OverlayState) => s.status?.nodes.map((r) => `${r.name} ${r.status} ${r.topologyId}`).join(', ');
  const want = NODES.map((node) => `${node} alive ${topologyId}`).join(', ');
  await untilState(client, 'every node to run the deployed topology', (s) => running(s) === want, 20_000);
}

/** Once the application has quit, the command line logs in: the application logged out as it quit. */
export async function expectTheLockFree(appEnv: UserHome): Promise<void> {
  const login = await appEnv.raincoat('login');
  expect(login.code, login.out + login.err).toBe(0);
  expect(await appEnv.raincoat('logout')).toMatchObject({ code: 0 });
}
