// The main job in Chromium on the real thing: `npm start` brings up the sandbox overlay in a home of its own and logs in;
// the page shows every node; a deploy of the sandbox's topology and then one of a root changed in the side panel each
// show their plan, are approved, and end with every node alive on the new topology.
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './buildApp.ts';
import { chromiumMissing, launchChromium, needChromium, openPage } from './chromium.ts';
import { WebHostProcess } from './webHostProcess.ts';

const NODES = ['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'leaf-2-2', 'root-3', 'leaf-3-1'];
const SCREENSHOTS = { plan: '/tmp/raincoat-ui-plan.png', done: '/tmp/raincoat-ui-deployed.png', deleted: '/tmp/raincoat-ui-deleted.png' };
const missing = chromiumMissing();
const poll = { timeout: 30_000, interval: 100 };

let host: WebHostProcess | undefined;
let browser: Browser | undefined;
let page: Page;
/** What the page reported (see openPage): a clean run has none. */
let pageErrors: string[] = [];
let firstTopologyId = '';

const node = (name: string) => page.locator('.react-flow__node', { hasText: name });
/** Lets go of the selection by clicking the canvas where nothing is drawn (its top right corner: no panel sits there). */
const clickEmptyCanvas = async () => {
  const pane = page.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  await pane.click({ position: { x: box.width - 40, y: 20 } });
};
const field = (name: string) => page.locator(`[data-field="${name}"]`);
const planDialog = () => page.getByRole('dialog', { name: 'Deploy this plan?' });
const deployPanel = () => page.getByRole('region', { name: 'Deploy', exact: true });

/** Every row of the overlay's status table as [node, status word, topology it runs]. */
const statusRows = () =>
  page
    .getByRole('region', { name: 'Status of the overlay' })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset['node'], (r.querySelector('.state') as HTMLElement).innerText.replace(/^\W+/, ''), (r.querySelector('.topology-id') as HTMLElement).innerText]));

/** Each node's state in the deploy panel, as [node, word]. */
const deployedNodes = () =>
  deployPanel()
    .locator('.deploy-nodes li')
    .evaluateAll((items) => items.map((li) => [(li as HTMLElement).dataset['node'], (li.querySelector('.state') as HTMLElement).innerText.replace(/^\W+/, '')]));

/** Deploy, see the plan (checked by `checkPlan`), approve, and wait until every node applied it; the new topology id. */
async function deployAndApprove(checkPlan: () => Promise<void>): Promise<string> {
  await page.getByRole('group', { name: 'Overlay' }).getByRole('button', { name: 'Deploy' }).click();
  await planDialog().waitFor({ timeout: 30_000 });
  // Editing waits while the plan does: the toolbar's edits are disabled and the page says why.
  expect(await page.getByRole('button', { name: 'Add root' }).isDisabled()).toBe(true);
  expect(await page.getByText('A deploy is under way: editing is blocked until it is done.').count()).toBe(1);
  await checkPlan();
  await planDialog().getByRole('button', { name: 'Deploy' }).click();
  await expect.poll(() => deployPanel().locator('.outcome-headline').textContent(), poll).toBe('Every node runs the new topology (8 applied).');
  expect(await deployedNodes()).toEqual(NODES.map((n) => [n, 'applied']));
  const topologyId = ((await deployPanel().locator('.topology-id').textContent()) ?? '').replace(/^topology /, '');
  expect(topologyId).toMatch(/^\d{4}-\d\d-\d\dT/);
  return topologyId;
}

describe('the main job in a browser, on the sandbox overlay', () => {
  beforeAll(async () => {
    if (missing) return;
    buildApp();
    host = await WebHostProcess.start('start');
    browser = await launchChromium();
    ({ page, errors: pageErrors } = await openPage(browser, host.url, { width: 1400, height: 900 }));
  });

  afterAll(async () => {
    await browser?.close();
    if (host && pageErrors.length > 0) console.log(`host output:\n${host.output()}`);
    await host?.stop();
  });

  it('is logged in to the sandbox and shows every node with its status', async (ctx) => {
    needChromium(ctx);
    const bar = page.getByRole('group', { name: 'Overlay' });
    await expect.poll(() => bar.innerText(), poll).toContain('administrator@root-1');
    expect(await bar.innerText()).toContain('sandbox');
    // The graph draws its roots once the session's topology has come, which may be a frame after the session bar.
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(3);
    await expect.poll(async () => (await statusRows()).map(([name]) => name), poll).toEqual(NODES);
    await expect.poll(() => node('aws-east').getByTestId('root-status').innerText(), poll).toMatch(/ · \d of 2 leaves /);
    expect(await node('on-prem').getByTestId('root-status').innerText()).toMatch(/ · \d of 1 leaf /);
    expect(await bar.getByRole('button', { name: 'Deploy' }).isEnabled()).toBe(true);
  });

  it('deploys the sandbox’s topology: every node added, then alive on it', async (ctx) => {
    needChromium(ctx);
    firstTopologyId = await deployAndApprove(async () => {
      expect(await planDialog().innerText()).toContain('8 nodes: 8 added.');
      expect(await planDialog().locator('.plan-nodes > li').count()).toBe(8);
      await planDialog().locator('li[data-node="root-1"] summary').click();
      expect(await planDialog().locator('li[data-node="root-1"] .file-path').allInnerTexts()).toContain('swanctl.conf (added)');
    });
    await expect.poll(statusRows, poll).toEqual(NODES.map((n) => [n, 'alive', firstTopologyId]));
    expect(await node('aws-east').getByTestId('root-status').innerText()).toBe('● alive · 2 of 2 leaves alive');
    await deployPanel().getByRole('button', { name: 'Close' }).click();
    expect(await deployPanel().count()).toBe(0);
  });

  it('deploys a root changed in the side panel: the plan shows the change, and every node runs the new topology', async (ctx) => {
    needChromium(ctx);
    await node('on-prem').click();
    await field('name').getByRole('textbox').fill('on-prem-b');
    await field('maxClients').getByRole('textbox').fill('60');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => node('on-prem-b').locator('.root-node-counts').innerText(), poll).toBe('60 clients · 1 leaf');
    await expect.poll(() => page.locator('.deploy-summary').innerText(), poll).toBe('to deploy: ~1 root, ~1 leaf');

    const secondTopologyId = await deployAndApprove(async () => {
      // A root's name appears in its own OpenVPN files and its leaf's (the sandbox's nodes take a linux node's files):
      // no other node changes.
      expect(await planDialog().innerText()).toContain('8 nodes: 2 changed, 6 unchanged.');
      const onPrem = planDialog().locator('li[data-node="root-3"]');
      expect(await onPrem.locator('summary').innerText()).toBe('on-prem-b (root-3) changed dry-run');
      await onPrem.locator('summary').click();
      const lines = await onPrem.locator('pre span').allInnerTexts();
      expect(lines.map((l) => l.trim())).toEqual(expect.arrayContaining(["-# Raincoat root-3 (on-prem): OpenVPN server for its leaves' uplinks", "+# Raincoat root-3 (on-prem-b): OpenVPN server for its leaves' uplinks"]));
      expect(await onPrem.locator('pre span.diff-added').count()).toBeGreaterThan(0);
      await page.screenshot({ path: SCREENSHOTS.plan });
    });
    expect(secondTopologyId).not.toBe(firstTopologyId);
    await clickEmptyCanvas();
    await expect.poll(statusRows, poll).toEqual(NODES.map((n) => [n, 'alive', secondTopologyId]));
    expect(await node('on-prem-b').getByTestId('root-status').innerText()).toBe('● alive · 1 of 1 leaf alive');
    expect(await page.locator('.deploy-summary').innerText()).toBe('nothing to deploy');
    await page.screenshot({ path: SCREENSHOTS.done });
  });

  it('keeps a deleted root and its tunnels struck through until a deploy, and cancels all changes back to the deployed topology', async (ctx) => {
    needChromium(ctx);
    const dialog = page.getByRole('alertdialog');
    await node('on-prem-b').click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    // The root ran on the overlay: deleting it leaves it drawn until a deploy removes it there.
    expect(await dialog.innerText()).toContain('They stay on the overlay, struck through, until the next deploy removes them;');
    await dialog.getByRole('button', { name: 'Delete root' }).click();
    await expect.poll(() => node('on-prem-b').getAttribute('aria-label'), poll).toBe('Root on-prem-b, deleted until the next deploy');
    expect(await node('on-prem-b').locator('.root-node.deleted').innerText()).toContain('deleted: removed at the next deploy');
    // The graph draws its roots once the session's topology has come, which may be a frame after the session bar.
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(3);
    const deletedTunnels = await page.locator('.tunnel-edge.deleted').count();
    expect(deletedTunnels).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.deploy-summary').innerText(), poll).toMatch(/^to deploy: −1 root, −\d tunnels?, −1 leaf$/);

    await page.screenshot({ path: SCREENSHOTS.deleted });
    await page.getByRole('button', { name: 'Cancel all changes…' }).click();
    expect(await dialog.getByRole('heading').innerText()).toBe(`Drop all ${1 + deletedTunnels} pending changes?`);
    expect(await dialog.innerText()).toContain(`1 root deleted, ${deletedTunnels} tunnel${deletedTunnels === 1 ? '' : 's'} deleted. Undo brings them back.`);
    await dialog.getByRole('button', { name: /^Drop / }).click();
    await expect.poll(() => page.locator('.root-node.deleted').count(), poll).toBe(0);
    await expect.poll(() => page.locator('.deploy-summary').innerText(), poll).toBe('nothing to deploy');
    expect(await page.getByRole('button', { name: 'Cancel all changes…' }).isDisabled()).toBe(true);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.root-node.deleted').count(), poll).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.locator('.root-node.deleted').count(), poll).toBe(0);
  });

  it("revokes a leaf's certificates from its root's status, and the next plan re-applies that cloud's servers", async (ctx) => {
    needChromium(ctx);
    await node('aws-east').click();
    const status = page.getByRole('region', { name: 'Status of aws-east' });
    await status.locator('tr[data-node="leaf-1-2"]').getByRole('button', { name: 'Revoke…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke at the next deploy' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'leaf-1-2: revoked' }).count(), poll).toBe(1);
    await page.getByRole('group', { name: 'Overlay' }).getByRole('button', { name: 'Deploy' }).click();
    await planDialog().waitFor({ timeout: 30_000 });
    const changed = await planDialog().locator('.plan-nodes > li').evaluateAll((items) => items.filter((li) => /\bchanged\b/.test((li as HTMLElement).innerText)).map((li) => (li as HTMLElement).dataset['node']));
    expect(changed).toEqual(expect.arrayContaining(['root-1', 'leaf-1-1', 'leaf-1-2']));
    expect(changed.filter((n) => !/^(root|leaf)-1(-|$)/.test(n!))).toEqual([]);
    await planDialog().getByRole('button', { name: 'Cancel' }).click();
    await clickEmptyCanvas();
  });

  it('shows the audit trail: the login and each deploy with its outcome, newest first', async (ctx) => {
    needChromium(ctx);
    await page.getByRole('group', { name: 'Overlay' }).getByRole('button', { name: 'Audit trail' }).click();
    const table = page.getByRole('table', { name: 'Audit entries' });
    await table.waitFor();
    const text = await table.innerText();
    expect(text).toMatch(/logged in/);
    expect(text.match(/deploy of topology \S+ posted/g)?.length).toBe(2);
    expect(text).toMatch(/confirmed/);
    expect(text).toMatch(/leaf-1-2/);
    await page.getByRole('dialog', { name: 'Audit trail' }).getByRole('button', { name: 'Close' }).click();
    expect(await page.getByRole('dialog', { name: 'Audit trail' }).count()).toBe(0);
  });

  it('reported no console error, failed request or CSP violation', (ctx) => {
    needChromium(ctx);
    expect(pageErrors).toEqual([]);
  });
});
