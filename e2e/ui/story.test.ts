// The whole story in Chromium, through the loopback host, on a sandbox of real agents that still has the built-in
// administrator: log in and set a new password; draw three roots and two tunnels; see a duplicate tunnel refused;
// deploy and watch every node turn alive; get a client VM's first-boot script; stop a node and watch it go down and come
// back; export the topology and import it again.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src-shared/contract/client.ts';
import type { OverlayAccess } from '../../src-shared/overlay/overlayAccess.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { findAgentBundle } from '../../src-main/core/sandbox/agentBundle.ts';
import { sandboxDir } from '../../src-main/core/sandbox/sandboxDir.ts';
import { sandboxUp } from '../../src-main/core/sandbox/sandboxUp.ts';
import { loadTopology } from '../../src-main/core/topologyFile/loadTopology.ts';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { buildApp } from './buildApp.ts';
import { chromiumMissing, needChromium } from './chromium.ts';
import { openEditorSession } from './editorSession.testkit.ts';
import type { EditorSession } from './editorSession.testkit.ts';

const shot = (name: string) => `/tmp/raincoat-ui-story-${name}.png`;
const missing = chromiumMissing();
const poll = { timeout: 60_000, interval: 200 };
const NEW_PASSWORD = 'a story of three clouds';
/** What is drawn, as the sandbox's agents were made for it: three roots of one leaf each (100 clients), 1–2 and 3–2. */
const DRAWN = [
  { name: 'alpha', address: '198.51.100.1' },
  { name: 'beta', address: '198.51.100.2' },
  { name: 'gamma', address: '198.51.100.3' },
];
const SANDBOX: Topology = {
  roots: DRAWN.map((r, i) => ({ id: i + 1, name: r.name, internetAddress: r.address, overlay: `10.${i + 1}.0.0/16`, maxClients: 100 })),
  tunnels: [{ a: 1, b: 2 }, { a: 3, b: 2 }],
};
const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'root-3', 'leaf-3-1'];

let home: UserHome | undefined;
let session: EditorSession | undefined;
let client: Client;
let access: OverlayAccess;
let page: Page;
let pageErrors: string[] = [];
let tmp = '';

const node = (name: string) => page.locator('.react-flow__node', { has: page.locator('.root-node-name', { hasText: new RegExp(`^${name}$`) }) });
const rootStatus = (name: string) => node(name).getByTestId('root-status').innerText();
const centreOf = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};
async function drag(from: Locator, to: Locator): Promise<void> {
  const [a, b] = [await centreOf(from), await centreOf(to)];
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 15 });
  await page.mouse.up();
}
const storedTopology = async () => (await client.api['topology.get']()).topology;

describe('the whole story, in a browser, on a sandbox overlay', () => {
  beforeAll(async () => {
    if (missing) return;
    buildApp();
    home = createUserHome();
    const bundle = findAgentBundle();
    if (!bundle.ok) throw new Error(bundle.message);
    ({ access } = await sandboxUp({ dir: sandboxDir(home.env), topology: SANDBOX, bundle: bundle.file, heartbeatIntervalMs: 1_000, builtInAdministrator: true, progress: () => {} }));
    // The application takes the sandbox's topology as its drawing: the story draws it, from nothing.
    const emptied = async (opened: Client) => {
      const saved = await opened.api['topology.save']({ topology: { roots: [], tunnels: [] } });
      if (!saved.ok) throw new Error(saved.reason);
    };
    session = await openEditorSession('story', emptied, { kind: 'start', home });
    ({ client, page, errors: pageErrors, tmp } = session);
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await home?.remove();
  });

  it('logs in with the built-in credentials and sets a new password first', async (ctx) => {
    needChromium(ctx);
    const form = page.getByRole('form', { name: 'Log in' });
    await form.waitFor({ timeout: 30_000 });
    // The card tells a new user the sandbox's built-in credentials, and they are filled in.
    expect(await page.getByRole('region', { name: 'Log in to sandbox' }).innerText()).toMatch(/built-in administrator, and its credentials are filled in: user administrator, password makeitrain/);
    expect(await form.getByLabel('Password', { exact: true }).inputValue()).toBe('makeitrain');
    await page.screenshot({ path: shot('login') });
    // Right after the agents start, the roots take the built-in password only once they have heard one another.
    await expect
      .poll(async () => {
        await form.getByLabel('Password', { exact: true }).fill('makeitrain');
        await form.getByRole('button', { name: 'Log in' }).click();
        await page.getByRole('alert').first().waitFor({ timeout: 10_000 });
        return form.getByLabel('New password', { exact: true }).count();
      }, poll)
      .toBe(1);
    await page.screenshot({ path: shot('new-password') });
    await form.getByLabel('Current password').fill('makeitrain');
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await form.getByLabel('New password again').fill(NEW_PASSWORD);
    await form.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Overlay' }).innerText(), poll).toContain('administrator@root-1');
  });

  it('draws three roots and two tunnels, and refuses a duplicate tunnel saying why', async (ctx) => {
    needChromium(ctx);
    for (const root of DRAWN) {
      await page.getByRole('button', { name: 'New root here' }).click();
      const form = page.getByRole('form', { name: 'New root' });
      await form.getByRole('textbox', { name: 'Name' }).fill(root.name);
      await form.getByRole('textbox', { name: 'Internet address' }).fill(root.address);
      await form.getByRole('button', { name: 'Add root' }).click();
      await node(root.name).waitFor();
    }
    await drag(node('alpha').locator('.root-node-counts'), node('beta').locator('.root-node-name'));
    await expect.poll(async () => (await storedTopology()).tunnels, poll).toEqual([{ a: 1, b: 2 }]);
    await drag(node('gamma').locator('.root-node-overlay'), node('beta').locator('.root-node-cloud'));
    await expect.poll(async () => (await storedTopology()).tunnels, poll).toEqual(SANDBOX.tunnels);
    const stored = await storedTopology();
    expect(stored.roots.map(({ id, name, internetAddress, overlay, maxClients }) => ({ id, name, internetAddress, overlay, maxClients }))).toEqual(SANDBOX.roots);

    await drag(node('beta').locator('.root-node-counts'), node('alpha').locator('.root-node-overlay'));
    const toast = page.locator('.canvas-toast span');
    await expect.poll(() => toast.innerText(), poll).toMatch(/^Tunnel not added: .*beta.*alpha/);
    // The panel names the refused tunnel, and that the selection it shows (the tunnel drawn last) stays.
    expect(await page.locator('.side-panel .refusal').innerText()).toMatch(/^Tunnel beta ↔ alpha not added: .*\nNothing changed: gamma ↔ beta is still selected\.$/s);
    await page.screenshot({ path: shot('refused') });
    await page.locator('.canvas-toast').getByRole('button', { name: 'Dismiss' }).click();
    expect((await storedTopology()).tunnels).toEqual(SANDBOX.tunnels);
  });

  it('deploys, and every node turns alive', async (ctx) => {
    needChromium(ctx);
    await page.getByRole('group', { name: 'Overlay' }).getByRole('button', { name: 'Deploy' }).click();
    const plan = page.getByRole('dialog', { name: 'Deploy this plan?' });
    await plan.waitFor({ timeout: 30_000 });
    expect(await plan.innerText()).toContain('6 nodes: 6 added.');
    await page.screenshot({ path: shot('plan') });
    await plan.getByRole('button', { name: 'Deploy' }).click();
    const deploy = page.getByRole('region', { name: 'Deploy', exact: true });
    await expect.poll(() => deploy.locator('.outcome-headline').textContent(), poll).toBe('Every node runs the new topology (6 applied).');
    await deploy.getByRole('button', { name: 'Close' }).click();
    for (const root of DRAWN) await expect.poll(() => rootStatus(root.name), poll).toBe('● alive · 1 of 1 leaf alive');
    // With nothing selected, the panel lists every node.
    await page.keyboard.press('Escape');
    const rows = () => page.getByRole('region', { name: 'Status of the overlay' }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [(tr as HTMLElement).dataset['node'], (tr.querySelector('.state') as HTMLElement).innerText.replace(/^\W+/, '')]));
    await expect.poll(rows, poll).toEqual(NODES.map((n) => [n, 'alive']));
    await page.screenshot({ path: shot('alive') });
  });

  it("gives a root's first-boot script for client VMs, filled with the root's agent, the control CA and a fresh token", async (ctx) => {
    needChromium(ctx);
    await node('alpha').click();
    const clients = page.getByRole('region', { name: 'Client machines of alpha' });
    await clients.getByRole('button', { name: 'Make first-boot script' }).click();
    const box = clients.getByRole('textbox', { name: 'First-boot script for alpha' });
    await box.waitFor();
    const script = await box.inputValue();
    const value = (name: string) => new RegExp(`^RAINCOAT_${name}='([^']*)'$`, 'm').exec(script)?.[1];
    const url = new URL(access.nodes['root-1']!.url);
    expect([value('HOST'), value('PORT'), value('NODE')]).toEqual([url.hostname, url.port, 'root-1']);
    expect(value('TOKEN')).toMatch(/^rce_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(value('CONTROL_CA')).toBe(access.controlCaPem.trim());
    expect(await clients.innerText()).toMatch(/Its token enrolls 1 machine until /);
    await clients.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('client-machines') });
  });

  it('shows a stopped node down, and alive again once started', async (ctx) => {
    needChromium(ctx);
    await page.keyboard.press('Escape');
    const stopped = await home!.raincoat('sandbox', 'stop', 'root-3');
    expect(stopped.code, stopped.err).toBe(0);
    await expect.poll(() => rootStatus('gamma'), poll).toMatch(/^▼ down/);
    // Its tunnels cannot carry anything: they are drawn faded, the others as they were.
    const fadedTunnels = () => page.locator('.tunnel-edge.ends-down').count();
    await expect.poll(fadedTunnels, poll).toBeGreaterThan(0);
    const root3Tunnels = await page.locator('.react-flow__edge').evaluateAll((edges) => edges.filter((e) => /^rf__edge-tunnel-(3-\d+|\d+-3)$/.test(e.getAttribute('data-testid') ?? '')).length);
    expect(root3Tunnels).toBeGreaterThan(0);
    expect(await fadedTunnels()).toBe(root3Tunnels);
    await page.screenshot({ path: shot('down') });
    const started = await home!.raincoat('sandbox', 'start', 'root-3');
    expect(started.code, started.err).toBe(0);
    await expect.poll(() => rootStatus('gamma'), poll).toBe('● alive · 1 of 1 leaf alive');
    await expect.poll(fadedTunnels, poll).toBe(0);
  });

  it('exports the topology and imports it again', async (ctx) => {
    needChromium(ctx);
    const before = await storedTopology();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export…' }).click()]);
    const exported = join(tmp, 'exported.json');
    await download.saveAs(exported);
    expect(await loadTopology(exported)).toEqual({ kind: 'ok', topology: before });
    await client.api['topology.command']({ kind: 'deleteTunnel', a: 3, b: 2 });
    await expect.poll(async () => (await storedTopology()).tunnels, poll).toEqual([{ a: 1, b: 2 }]);
    await page.getByRole('button', { name: 'Import…' }).click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('alertdialog', { name: 'Replace the pending topology?' }).getByRole('button', { name: 'Choose a file…' }).click()]);
    await chooser.setFiles(exported);
    await expect.poll(storedTopology, poll).toEqual(before);
    await page.getByRole('status').filter({ hasText: 'Topology imported' }).waitFor();
    await expect.poll(() => page.locator('.deploy-summary').innerText(), poll).toBe('nothing to deploy');
    await page.screenshot({ path: shot('reimported') });
  });

  it('reported no console error, failed request or CSP violation', (ctx) => {
    needChromium(ctx);
    expect(pageErrors).toEqual([]);
  });
});
