// `npm start` as a new user runs it, over the application's own contract: the sandbox brought up, the application
// logged in to it, a deploy followed to every node; then the faults that must lose nothing (a second administrator,
// the application killed in the middle of a deploy, a corrupt store file, a node unreachable during a deploy).
import { readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { buildApp } from '../ui/buildApp.ts';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { startRaincoat } from './runningApp.testkit.ts';
import { waitFor } from '../lab/wait.ts';
import type { RunningApp } from './runningApp.testkit.ts';

const NODES = ['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'leaf-2-2', 'root-3', 'leaf-3-1'];

let home: UserHome;
let app: RunningApp | undefined;

beforeAll(async () => {
  buildApp();
  home = createUserHome();
}, 120_000);

afterAll(async () => {
  await app?.stop('SIGKILL');
  await home?.remove();
}, 60_000);

const loggedIn = (s: OverlayState) => s.session.phase === 'in' && (s.status?.nodes.length ?? 0) === NODES.length;

/** Changes the pending topology as the editor would (one root's internet address), so the next deploy has work. */
async function changeAddress(running: RunningApp, rootId: number, internetAddress: string): Promise<Topology> {
  const { topology } = await running.client.api['topology.get']();
  const changed = { ...topology, roots: topology.roots.map((r) => (r.id === rootId ? { ...r, internetAddress } : r)) };
  const saved = await running.client.api['topology.save']({ topology: changed });
  expect(saved.ok).toBe(true);
  return changed;
}

/** Starts a deploy and approves its plan: the plan shown. */
async function deployApproved(running: RunningApp): Promise<NonNullable<OverlayState['deploy']>> {
  expect(await running.client.api['deploy.start']()).toEqual({ ok: true });
  const planned = (await running.until((s) => s.deploy?.phase === 'planned', 'the plan')).deploy!;
  expect(await running.client.api['deploy.approve']({ topologyId: planned.topologyId! })).toEqual({ ok: true });
  return planned;
}

async function overlayFolder(): Promise<string> {
  const overlays = join(home.env['XDG_STATE_HOME']!, 'raincoat', 'overlays');
  const [name] = await readdir(overlays);
  return join(overlays, name!);
}

describe('npm start on a machine with no overlay', () => {
  it('brings up the sandbox, logs the application in, and deploys its topology to every node', async () => {
    app = await startRaincoat(home);
    expect(app.output()).toMatch(/The sandbox overlay is up: 8 agents/);
    const first = await app.until(loggedIn, 'logged in with every node listed');
    expect(first.overlay).toMatchObject({ name: 'sandbox', entry: 'root-1', sandbox: true, nodes: 8 });
    expect(first.status!.nodes.map((n) => n.name)).toEqual(NODES);

    const planned = await deployApproved(app);
    expect(planned.plan!.nodes.map((n) => `${n.node} ${n.change}`)).toEqual(NODES.map((n) => `${n} added`));
    const done = await app.until((s) => s.deploy?.phase === 'done', 'the deploy done');
    expect(done.deploy!.outcome).toEqual({ kind: 'followed', applied: 8, failed: 0, unreachable: 0, confirmed: true });
    const running = await app.until((s) => s.status!.nodes.every((n) => n.status === 'alive' && n.topologyId === planned.topologyId), 'every node alive on the new topology');
    expect(running.status!.nodes).toHaveLength(8);
    // The deployed topology is noted just after the deploy shows as done.
    const { client } = app;
    await waitFor(async () => (await client.api['topology.diff']()).diff.empty, { timeoutMs: 10_000, what: 'the deployed topology to be noted' });
  }, 180_000);

  it('tells a second administrator who holds the lock, and where', async () => {
    const second = await home.raincoat('login');
    expect(second.code, second.err).toBe(1);
    expect(second.err).toMatch(/administrator "administrator" is logged in at root-1/);
  }, 60_000);

  it('killed in the middle of a deploy, takes its session up again at the next start and follows the deploy to its end', async () => {
    await changeAddress(app!, 2, '203.0.113.99');
    const planned = await deployApproved(app!);
    expect(planned.plan!.nodes.filter((n) => n.change === 'changed').map((n) => n.node)).toContain('root-2');
    await app!.until((s) => s.deploy?.phase === 'following', 'the deploy posted');
    await app!.stop('SIGKILL');
    expect(existsSync(join(await overlayFolder(), 'deploy-in-flight.json'))).toBe(true);

    app = await startRaincoat(home);
    expect(app.output()).toMatch(/took up the session kept by an earlier run/);
    const resumed = await app.until((s) => s.deploy?.phase === 'done', 'the resumed deploy done', 120_000);
    expect(resumed.deploy).toMatchObject({ topologyId: planned.topologyId, outcome: { kind: 'followed', failed: 0, unreachable: 0, confirmed: true } });
    expect(resumed.deploy!.notices.join('\n')).toMatch(/following again the deploy of topology/);
    expect(resumed.session.phase).toBe('in');
    expect(existsSync(join(await overlayFolder(), 'deploy-in-flight.json'))).toBe(false);
    await app.until((s) => s.status!.nodes.every((n) => n.topologyId === planned.topologyId), 'every node on the resumed topology');
  }, 240_000);

  it('keeps a corrupt store file aside, says so, and still starts and logs in', async () => {
    await app!.stop('SIGINT');
    const file = join(await overlayFolder(), 'pending-topology.json');
    await writeFile(file, '{"pending": [unfinished');
    app = await startRaincoat(home);
    expect(app.output()).toMatch(/kept aside as .*pending-topology\.json\.corrupt-/);
    const state = await app.client.api['topology.get']();
    expect(state.recovery?.keptAs).toMatch(/pending-topology\.json\.corrupt-/);
    expect(existsSync(state.recovery!.keptAs)).toBe(true);
    await app.until(loggedIn, 'logged in after the recovery');
  }, 180_000);

  it('reports a node unreachable during a deploy, with its reason, while every other node applies', async () => {
    expect((await home.raincoat('sandbox', 'stop', 'leaf-3-1')).code).toBe(0);
    await changeAddress(app!, 1, '203.0.113.98');
    await deployApproved(app!);
    const done = await app!.until((s) => s.deploy?.phase === 'done', 'the deploy done', 150_000);
    const leaf = done.deploy!.nodes.find((n) => n.node === 'leaf-3-1');
    expect(leaf).toMatchObject({ state: 'unreachable', reason: expect.any(String) });
    expect(done.deploy!.nodes.filter((n) => n.node !== 'leaf-3-1').every((n) => n.state === 'applied')).toBe(true);
    expect(done.deploy!.outcome).toMatchObject({ kind: 'followed', unreachable: 1, failed: 0, confirmed: false, notConfirmed: 'leaf-3-1 could not be reached' });
    expect(done.deploy!.notices.join('\n')).toMatch(/goes back to what it ran before by itself/);
  }, 240_000);
});
