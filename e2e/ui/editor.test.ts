// The editor in Chromium against the loopback host: the fixture drawn, a refused edit shown at its field and not stored, valid edits stored.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src-shared/contract/client.ts';
import { createClient } from '../../src-shared/contract/client.ts';
import type { SocketTransport } from '../../src-shared/contract/socketTransport.ts';
import { socketTransport } from '../../src-shared/contract/socketTransport.ts';
import { buildApp } from './buildApp.ts';
import { chromiumMissing, launchChromium, needChromium, openPage } from './chromium.ts';
import { WebHostProcess } from './webHostProcess.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/topologies/three-clouds.json', import.meta.url));
const SCREENSHOTS = { refused: '/tmp/raincoat-ui-refused.png', final: '/tmp/raincoat-ui.png' };
const missing = chromiumMissing();
const poll = { timeout: 10_000, interval: 50 };

let host: WebHostProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let transport: SocketTransport;
let client: Client;
/** What the page reported (see openPage): a clean run has none. */
let pageErrors: string[] = [];

const node = (name: string) => page.locator('.react-flow__node', { hasText: name });
const field = (name: string) => page.locator(`[data-field="${name}"]`);
const centre = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};
const storedRoots = async () => (await client.api['topology.get']()).topology.roots;

describe('the editor in a browser', () => {
  beforeAll(async () => {
    if (missing) return;
    buildApp();
    host = await WebHostProcess.start();
    transport = socketTransport(host.socketUrl, (url) => new WebSocket(url));
    client = createClient(transport);
    const opened = await client.api['topology.open']({ path: FIXTURE });
    if (!opened.ok) throw new Error(`fixture refused: ${opened.reason}`);
    browser = await launchChromium();
    ({ page, errors: pageErrors } = await openPage(browser, host.url, { width: 1400, height: 850 }));
  });

  afterAll(async () => {
    transport?.close();
    await browser?.close();
    if (host && pageErrors.length > 0) console.log(`host output:\n${host.output()}`);
    await host?.stop();
  });

  it('draws every root with its overlay, clients and leaves, and every tunnel', async (ctx) => {
    needChromium(ctx);
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(3);
    await expect.poll(() => node('aws-east').innerText(), poll).toBe('aws-east\n10.1.0.0/16\n250 clients · 3 leaves');
    await expect.poll(() => node('euca-lab').innerText(), poll).toBe('euca-lab\n10.2.0.0/16\n120 clients · 2 leaves');
    await expect.poll(() => node('on-prem').innerText(), poll).toBe('on-prem\n10.3.0.0/16\n40 clients · 1 leaf');
    expect(await page.locator('.react-flow__edge').count()).toBe(3);
    expect(await page.getByTestId('plan-summary').innerText()).toBe('3 roots · 3 tunnels · 6 leaves · 410 clients');
    // The host runs in a home of its own, where no sandbox runs: the page says how to get an overlay.
    expect(await page.getByRole('status', { name: 'No overlay' }).innerText()).toContain('npm start -- --access FILE');
  });

  it('shows the plan of the selected root', async (ctx) => {
    needChromium(ctx);
    await node('euca-lab').click();
    const plan = page.getByRole('region', { name: 'Address plan of euca-lab' });
    await plan.waitFor();
    expect(await plan.locator('tbody tr').allInnerTexts()).toEqual([
      'leaf-2-1\t10.2.4.0/25\t10.2.4.1\t10.2.0.2\t100',
      'leaf-2-2\t10.2.4.128/25\t10.2.4.129\t10.2.0.3\t20',
    ]);
  });

  it('shows an overlapping overlay’s problem next to the field and stores nothing', async (ctx) => {
    needChromium(ctx);
    const before = await readFile(host!.stateFile, 'utf8');
    await node('on-prem').click();
    await field('overlay').getByRole('textbox').fill('10.1.0.0/16');
    await page.getByRole('button', { name: 'Save' }).click();
    const problem = field('overlay').locator('.field-problem');
    await problem.waitFor();
    expect(await problem.innerText()).toBe('10.1.0.0/16 overlaps roots[0] "aws-east" (10.1.0.0/16)');
    expect(await field('overlay').getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.refusal-reason').innerText()).toBe('root 3 (on-prem) not saved: 1 problem; the pending topology is unchanged');
    await page.screenshot({ path: SCREENSHOTS.refused });
    await expect.poll(() => node('on-prem').innerText(), poll).toContain('10.3.0.0/16');
    expect((await storedRoots())[2]?.overlay).toBe('10.3.0.0/16');
    expect(await readFile(host!.stateFile, 'utf8')).toBe(before);
  });

  it('stores a valid edit, clears the problem and redraws the root', async (ctx) => {
    needChromium(ctx);
    await field('overlay').getByRole('textbox').fill('10.9.0.0/16');
    await field('maxClients').getByRole('textbox').fill('150');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => node('on-prem').innerText(), poll).toBe('on-prem\n10.9.0.0/16\n150 clients · 2 leaves');
    expect(await page.locator('.field-problem').count()).toBe(0);
    expect((await storedRoots())[2]).toMatchObject({ overlay: '10.9.0.0/16', maxClients: 150 });
    expect(JSON.parse(await readFile(host!.stateFile, 'utf8')).pending.roots[2].overlay).toBe('10.9.0.0/16');
  });

  it('undoes the last change', async (ctx) => {
    needChromium(ctx);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => node('on-prem').innerText(), poll).toContain('10.3.0.0/16');
    expect((await storedRoots())[2]?.overlay).toBe('10.3.0.0/16');
  });

  it('redoes what undo took back, by button and by keyboard (Ctrl+Shift+Z, Ctrl+Y), and undoes by Ctrl+Z', async (ctx) => {
    needChromium(ctx);
    const overlayOf = () => node('on-prem').locator('.root-node-overlay').innerText();
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(overlayOf, poll).toBe('10.9.0.0/16');
    expect(await page.getByRole('button', { name: 'Redo' }).isDisabled()).toBe(true);
    for (const [keys, overlay] of [['Control+z', '10.3.0.0/16'], ['Control+Shift+z', '10.9.0.0/16'], ['Control+z', '10.3.0.0/16'], ['Control+y', '10.9.0.0/16'], ['Control+z', '10.3.0.0/16']]) {
      await page.keyboard.press(keys!);
      await expect.poll(overlayOf, poll).toBe(overlay);
    }
    expect((await storedRoots())[2]?.overlay).toBe('10.3.0.0/16');
  });

  it('deletes a tunnel only after confirmation', async (ctx) => {
    needChromium(ctx);
    // A horizontal line has no height, so Playwright calls it invisible: click midway between the two roots instead.
    const [a, b] = await Promise.all([centre(node('euca-lab')), centre(node('on-prem'))]);
    await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2);
    expect(await page.getByRole('region', { name: 'Tunnel euca-lab ↔ on-prem' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.innerText()).toContain('The tunnel between euca-lab and on-prem leaves the pending topology.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await client.api['topology.get']()).topology.tunnels).toHaveLength(3);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete tunnel' }).click();
    await expect.poll(() => page.locator('.react-flow__edge').count(), poll).toBe(2);
    expect((await client.api['topology.get']()).topology.tunnels).toEqual([{ a: 1, b: 2 }, { a: 3, b: 1 }]);
  });

  it('adds a tunnel by dragging from one root to another', async (ctx) => {
    needChromium(ctx);
    const from = await centre(node('on-prem').locator('.react-flow__handle.source'));
    const to = await centre(node('euca-lab').locator('.react-flow__handle.target'));
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => page.locator('.react-flow__edge').count(), poll).toBe(3);
    expect((await client.api['topology.get']()).topology.tunnels).toContainEqual({ a: 3, b: 2 });
  });

  it('adds a root from the form, with problems shown at the empty fields first', async (ctx) => {
    needChromium(ctx);
    await page.getByRole('button', { name: 'Add root' }).click();
    const form = page.getByRole('form', { name: 'New root' });
    expect(await form.getByLabel('Overlay').inputValue()).toBe('10.4.0.0/16');
    await form.getByRole('button', { name: 'Add root' }).click();
    await field('internetAddress').locator('.field-problem').waitFor();
    expect(await field('name').locator('.field-problem').innerText()).toBe('expected a name of 1 to 63 printable characters, found ""');
    expect(await field('internetAddress').locator('.field-problem').innerText()).toBe('expected an IPv4 address such as 203.0.113.10, found ""');
    await form.getByLabel('Name').fill('gcp-west');
    await form.getByLabel('Internet address').fill('198.51.100.40');
    await form.getByRole('button', { name: 'Add root' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(4);
    await expect.poll(() => node('gcp-west').innerText(), poll).toBe('gcp-west\n10.4.0.0/16\n100 clients · 1 leaf');
    expect((await storedRoots()).map((r) => r.name)).toEqual(['aws-east', 'euca-lab', 'on-prem', 'gcp-west']);
  });

  it('shows a change made elsewhere without reloading', async (ctx) => {
    needChromium(ctx);
    const { topology } = await client.api['topology.get']();
    const renamed = topology.roots.map((r) => (r.name === 'gcp-west' ? { ...r, name: 'gcp-central' } : r));
    const result = await client.api['topology.save']({ topology: { ...topology, roots: renamed } });
    expect(result.ok).toBe(true);
    await node('gcp-central').waitFor();
  });

  it('deletes a root with its tunnels after confirmation', async (ctx) => {
    needChromium(ctx);
    await node('on-prem').click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    expect(await page.getByRole('alertdialog').innerText()).toContain('its leaves and its 2 tunnels leave the pending topology');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete root' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(3);
    const stored = await client.api['topology.get']();
    expect(stored.topology.roots.map((r) => r.name)).toEqual(['aws-east', 'euca-lab', 'gcp-central']);
    expect(stored.topology.tunnels).toEqual([{ a: 1, b: 2 }]);
    await node('aws-east').click();
    await page.screenshot({ path: SCREENSHOTS.final });
  });

  it('reported no console error, failed request or CSP violation', (ctx) => {
    needChromium(ctx);
    expect(pageErrors).toEqual([]);
  });
});
