// The editor in Chromium against the loopback host: the fixture drawn, a refused edit shown at its field in words and not
// stored, valid edits stored, an unsaved edit kept when another root is clicked, deletes after a confirmation (also by the
// Delete key), export then import of the plain topology file, a file with problems refused whole, the dark theme and 800 px.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src-shared/contract/client.ts';
import { loadTopology } from '../../src-main/core/topologyFile/loadTopology.ts';
import { chromiumMissing, needChromium } from './chromium.ts';
import { openEditorSession } from './editorSession.testkit.ts';
import type { EditorSession } from './editorSession.testkit.ts';
import type { WebHostProcess } from './webHostProcess.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/topologies/three-clouds.json', import.meta.url));
const SCREENSHOTS = { refused: '/tmp/raincoat-ui-refused.png', final: '/tmp/raincoat-ui.png', dark: '/tmp/raincoat-ui-dark.png', narrow: '/tmp/raincoat-ui-800.png', problems: '/tmp/raincoat-ui-import-problems.png' };
const missing = chromiumMissing();
const poll = { timeout: 10_000, interval: 50 };

let host: WebHostProcess | undefined;
let session: EditorSession | undefined;
let page: Page;
let client: Client;
/** What the page reported (see openPage): a clean run has none. */
let pageErrors: string[] = [];
/** Files the test exports and imports. */
let tmp = '';

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
    session = await openEditorSession('editor', async (opening) => {
      const opened = await opening.api['topology.open']({ path: FIXTURE });
      if (!opened.ok) throw new Error(`fixture refused: ${opened.reason}`);
    });
    ({ host, client, page, errors: pageErrors, tmp } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('draws every root with its overlay, clients and leaves, and every tunnel', async (ctx) => {
    needChromium(ctx);
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(3);
    // Each root shows more (cloud, address, its leaves): what this test checks is in it.
    for (const [name, overlay, counts] of [['aws-east', '10.1.0.0/16', '250 clients · 3 leaves'], ['euca-lab', '10.2.0.0/16', '120 clients · 2 leaves'], ['on-prem', '10.3.0.0/16', '40 clients · 1 leaf']]) {
      await expect.poll(() => node(name!).innerText(), poll).toMatch(new RegExp(`^${name}\n${overlay}\n[^]*${counts}`));
    }
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
    expect(await problem.innerText()).toBe('10.1.0.0/16 overlaps the overlay of root 1 (aws-east).');
    expect(await field('overlay').getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.refusal-reason').innerText()).toBe('Root 3 (on-prem) not saved: 1 problem; the pending topology is unchanged.');
    expect(await page.locator('body').innerText()).not.toMatch(/(roots|tunnels)\[\d+\]/);
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
    await expect.poll(() => node('on-prem').innerText(), poll).toMatch(/^on-prem\n10\.9\.0\.0\/16\n[^]*150 clients · 2 leaves/);
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
    // A tunnel is an arc whose box's centre need not lie on it: the click goes to the edge itself.
    await page.locator('.react-flow__edge[data-id="tunnel-2-3"]').dispatchEvent('click');
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
    const from = await centre(node('on-prem').locator('.root-node-overlay'));
    const to = await centre(node('euca-lab').locator('.root-node-overlay'));
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
    expect(await field('name').locator('.field-problem').innerText()).toBe('Expected a name of 1 to 63 printable characters, found "".');
    expect(await field('internetAddress').locator('.field-problem').innerText()).toBe('Expected an IPv4 address such as 203.0.113.10, found "".');
    await form.getByLabel('Name').fill('gcp-west');
    await form.getByLabel('Internet address').fill('198.51.100.40');
    await form.getByRole('button', { name: 'Add root' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(4);
    await expect.poll(() => node('gcp-west').innerText(), poll).toMatch(/^gcp-west\n10\.4\.0\.0\/16\n[^]*100 clients · 1 leaf/);
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

  it('keeps an unsaved edit when another root is clicked and the administrator keeps editing', async (ctx) => {
    needChromium(ctx);
    await node('on-prem').click();
    await field('maxClients').getByRole('textbox').fill('0');
    expect(await field('maxClients').locator('.field-problem').innerText()).toMatch(/^Expected an integer from 1 to /);
    await node('euca-lab').click();
    const dialog = page.getByRole('alertdialog', { name: 'Discard your changes to on-prem?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    expect(await field('maxClients').getByRole('textbox').inputValue()).toBe('0');
    await node('euca-lab').click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('form', { name: 'Root euca-lab' }).waitFor();
    expect((await storedRoots())[2]?.maxClients).toBe(40);
  });

  it('deletes a root with its tunnels by the Delete key, after a confirmation naming what goes', async (ctx) => {
    needChromium(ctx);
    await node('on-prem').click();
    await page.keyboard.press('Delete');
    expect(await page.getByRole('alertdialog').innerText()).toMatch(/leaves the pending topology with its 1 leaf \(room for 40 clients\) and its 2 tunnels to (aws-east and euca-lab|euca-lab and aws-east)\./);
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete root' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count(), poll).toBe(3);
    const stored = await client.api['topology.get']();
    expect(stored.topology.roots.map((r) => r.name)).toEqual(['aws-east', 'euca-lab', 'gcp-central']);
    expect(stored.topology.tunnels).toEqual([{ a: 1, b: 2 }]);
    await node('aws-east').click();
    await page.screenshot({ path: SCREENSHOTS.final });
  });

  it('exports the plain file raincoat validate reads, and imports it back over later changes after asking', async (ctx) => {
    needChromium(ctx);
    const before = (await client.api['topology.get']()).topology;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export…' }).click()]);
    const exported = join(tmp, 'exported.json');
    await download.saveAs(exported);
    expect(download.suggestedFilename()).toBe('topology.json');
    expect(await loadTopology(exported)).toEqual({ kind: 'ok', topology: before });

    await client.api['topology.command']({ kind: 'deleteTunnel', a: 1, b: 2 });
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).isEnabled(), poll).toBe(true);
    await page.getByRole('button', { name: 'Import…' }).click();
    const question = page.getByRole('alertdialog', { name: 'Replace the pending topology?' });
    expect(await question.innerText()).toContain('Undo brings them back.');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), question.getByRole('button', { name: 'Choose a file…' }).click()]);
    await chooser.setFiles(exported);
    await expect.poll(async () => (await client.api['topology.get']()).topology, poll).toEqual(before);
    await page.getByRole('status').filter({ hasText: 'Topology imported' }).waitFor();
  });

  it('refuses a file with problems whole, showing every one in words', async (ctx) => {
    needChromium(ctx);
    const stateBefore = await readFile(host!.stateFile, 'utf8');
    const bad = join(tmp, 'bad.json');
    const root = { id: 1, name: 'a', internetAddress: '203.0.113.1', overlay: '10.1.0.0/16', maxClients: 10 };
    await writeFile(bad, JSON.stringify({ roots: [root, { ...root, id: 2, internetAddress: '203.0.113.2' }], tunnels: [{ a: 1, b: 2 }, { a: 2, b: 1 }] }));
    await page.getByRole('button', { name: 'Import…' }).click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('alertdialog').getByRole('button', { name: 'Choose a file…' }).click()]);
    await chooser.setFiles(bad);
    const dialog = page.getByRole('dialog', { name: 'The file was not imported' });
    await dialog.waitFor();
    expect(await dialog.getByRole('listitem').allInnerTexts()).toEqual([
      'Root 2 in the list, name: "a" is already used by root 1 (a).',
      'Root 2 in the list, overlay: 10.1.0.0/16 overlaps the overlay of root 1 (a).',
      'Tunnel 2 in the list: There is already a tunnel between root 2 (a) and root 1 (a).',
    ]);
    await page.screenshot({ path: SCREENSHOTS.problems });
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await readFile(host!.stateFile, 'utf8')).toBe(stateBefore);
  });

  it('follows the system’s dark theme, and at 800 px keeps the canvas whole with the panel as a drawer', async (ctx) => {
    needChromium(ctx);
    await page.emulateMedia({ colorScheme: 'dark' });
    await node('aws-east').click();
    const paper = await page.locator('.side-panel').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(paper).toBe('rgb(27, 33, 41)');
    await page.screenshot({ path: SCREENSHOTS.dark });
    await page.setViewportSize({ width: 800, height: 700 });
    await expect.poll(async () => (await page.locator('.canvas').boundingBox())?.width, poll).toBe(800);
    const toolbar = await page.locator('.toolbar').boundingBox();
    expect(toolbar?.height).toBeLessThan(100);
    await page.screenshot({ path: SCREENSHOTS.narrow });
    await page.getByRole('button', { name: 'Side panel' }).click();
    await expect.poll(() => page.locator('.side-panel').count(), poll).toBe(0);
    await page.setViewportSize({ width: 1400, height: 850 });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('reported no console error, failed request or CSP violation', (ctx) => {
    needChromium(ctx);
    expect(pageErrors).toEqual([]);
  });
});
