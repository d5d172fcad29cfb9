// The graph in Chromium against the loopback host: three roots drawn from the canvas, each in view; two tunnels drawn by
// dragging from anywhere on one root onto anywhere on another; a duplicate and a self-tunnel refused in words; tunnels in
// a row and crossing ones each visible on screen; the view fitted to an opened file; 40 roots without positions laid out
// readably; search by name.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src-shared/contract/client.ts';
import { fortyUnplacedRoots, sampleRoot as root } from '../../src-renderer/canvas/sampleTopologies.testkit.ts';
import { chromiumMissing, needChromium } from './chromium.ts';
import type { EditorSession } from './editorSession.testkit.ts';
import { openEditorSession } from './editorSession.testkit.ts';

const SCREENSHOTS = {
  drawn: '/tmp/raincoat-ui-graph-drawn.png',
  refused: '/tmp/raincoat-ui-graph-refused.png',
  row: '/tmp/raincoat-ui-graph-row.png',
  forty: '/tmp/raincoat-ui-graph-forty.png',
  found: '/tmp/raincoat-ui-graph-found.png',
};
const missing = chromiumMissing();
const poll = { timeout: 15_000, interval: 50 };

let session: EditorSession | undefined;
let page: Page;
let client: Client;

type Box = { x: number; y: number; width: number; height: number };
const node = (name: string) => page.locator('.react-flow__node', { has: page.locator('.root-node-name', { hasText: new RegExp(`^${name}$`) }) });
const box = async (locator: Locator): Promise<Box> => {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
};
const centreOf = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
const within = (inner: Box, outer: Box) => inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const canvasBox = () => box(page.locator('.react-flow'));
const storedTunnels = async () => (await client.api['topology.get']()).topology.tunnels;
/** Every root's box on screen, once they stop moving (layout, fit view). */
const settledBoxes = async (count: number): Promise<Box[]> => {
  let last = '';
  let boxes: Box[] = [];
  await expect
    .poll(async () => {
      boxes = await Promise.all((await page.locator('.react-flow__node').all()).map(box));
      const now = JSON.stringify(boxes.map((b) => [Math.round(b.x), Math.round(b.y), Math.round(b.width)]));
      const still = boxes.length === count && now === last;
      last = now;
      return still;
    }, { ...poll, interval: 250 })
    .toBe(true);
  return boxes;
};

/** Presses on `from`, moves in steps as a hand would, and lets go on `to`. */
async function drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 15 });
  await page.mouse.up();
}

async function openFile(name: string, topology: unknown): Promise<void> {
  const path = join(session!.tmp, name);
  await writeFile(path, JSON.stringify(topology));
  const opened = await client.api['topology.open']({ path });
  if (!opened.ok) throw new Error(`${name} refused: ${opened.reason}`);
}

describe('the graph in a browser', () => {
  beforeAll(async () => {
    if (missing) return;
    session = await openEditorSession('graph');
    ({ page, client } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('adds three roots from the canvas, each in view and none on another', async (ctx) => {
    needChromium(ctx);
    for (const [i, name] of ['alpha', 'beta', 'gamma'].entries()) {
      await page.getByRole('button', { name: 'New root here' }).click();
      const form = page.getByRole('form', { name: 'New root' });
      await form.getByRole('textbox', { name: 'Name' }).fill(name);
      await form.getByRole('textbox', { name: 'Internet address' }).fill(`198.51.100.${i + 1}`);
      await form.getByRole('button', { name: 'Add root' }).click();
      await node(name).waitFor();
    }
    const boxes = await settledBoxes(3);
    const canvas = await canvasBox();
    expect(boxes.map((b) => within(b, canvas))).toEqual([true, true, true]);
    expect([overlap(boxes[0]!, boxes[1]!), overlap(boxes[0]!, boxes[2]!), overlap(boxes[1]!, boxes[2]!)]).toEqual([false, false, false]);
  });

  it('draws two tunnels by dragging from anywhere on one root onto anywhere on another', async (ctx) => {
    needChromium(ctx);
    await drag(centreOf(await box(node('alpha').locator('.root-node-counts'))), centreOf(await box(node('beta').locator('.root-node-name'))));
    await expect.poll(storedTunnels, poll).toEqual([{ a: 1, b: 2 }]);
    await drag(centreOf(await box(node('gamma').locator('.root-node-overlay'))), centreOf(await box(node('beta').locator('.root-node-cloud'))));
    await expect.poll(storedTunnels, poll).toEqual([{ a: 1, b: 2 }, { a: 3, b: 2 }]);
    await expect.poll(() => page.locator('.react-flow__edge').count(), poll).toBe(2);
    await page.screenshot({ path: SCREENSHOTS.drawn });
  });

  it('refuses a duplicate tunnel (either way round) and a tunnel to itself, saying why over the drawing', async (ctx) => {
    needChromium(ctx);
    const toast = page.locator('.canvas-toast span');
    /** What main answers to the same command: the toast must say it, whatever its words. */
    const mainSays = async (a: number, b: number) => {
      const answer = await client.api['topology.command']({ kind: 'addTunnel', a, b });
      if (answer.ok) throw new Error(`main added tunnel ${a}-${b}`);
      return `Tunnel not added: ${answer.reason.replace(/\.$/, '')}.`;
    };
    await drag(centreOf(await box(node('beta').locator('.root-node-counts'))), centreOf(await box(node('alpha').locator('.root-node-overlay'))));
    const duplicate = await mainSays(2, 1);
    expect(duplicate).toMatch(/beta.*alpha/);
    await expect.poll(() => toast.innerText(), poll).toBe(duplicate);
    await page.screenshot({ path: SCREENSHOTS.refused });
    await page.locator('.canvas-toast').getByRole('button', { name: 'Dismiss' }).click();
    expect(await toast.count()).toBe(0);
    await drag(centreOf(await box(node('alpha').locator('.root-node-counts'))), centreOf(await box(node('alpha').locator('.root-node-overlay'))));
    await expect.poll(() => toast.innerText(), poll).toBe(await mainSays(1, 1));
    expect(await toast.innerText()).toMatch(/itself/);
    expect(await storedTunnels()).toEqual([{ a: 1, b: 2 }, { a: 3, b: 2 }]);
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
  });

  it('fits the view to an opened file, and shows every tunnel of a row and of a crossing square as a line of its own', async (ctx) => {
    needChromium(ctx);
    // Far from where the view was: only a fit after opening shows these.
    const at = (x: number, y: number) => ({ x: 6000 + x, y: 4000 + y });
    await openFile('row.json', {
      roots: [root(1, at(0, 0)), root(2, at(260, 0)), root(3, at(520, 0)), root(4, at(0, 320)), root(5, at(260, 320))],
      tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 1, b: 3 }, { a: 1, b: 4 }, { a: 2, b: 5 }, { a: 4, b: 5 }, { a: 1, b: 5 }, { a: 2, b: 4 }],
    });
    const boxes = await settledBoxes(5);
    const canvas = await canvasBox();
    expect(boxes.map((b) => within(b, canvas))).toEqual([true, true, true, true, true]);
    // Each tunnel's own stretch on screen: outside every root and at least 8 px from every other tunnel.
    const own = await page.evaluate(() => {
      const roots = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect());
      const curves = [...document.querySelectorAll<SVGPathElement>('.react-flow__edge-path')].map((path) => {
        const matrix = path.getScreenCTM()!;
        const length = path.getTotalLength();
        return Array.from({ length: 301 }, (_, i) => {
          const p = path.getPointAtLength((length * i) / 300);
          return { x: matrix.a * p.x + matrix.c * p.y + matrix.e, y: matrix.b * p.x + matrix.d * p.y + matrix.f };
        });
      });
      return curves.map((points, i) => {
        let seen = 0;
        for (let k = 1; k < points.length; k++) {
          const p = points[k]!;
          const outside = roots.every((r) => p.x < r.left || p.x > r.right || p.y < r.top || p.y > r.bottom);
          const apart = curves.every((other, j) => j === i || other.every((q) => Math.hypot(p.x - q.x, p.y - q.y) >= 8));
          if (outside && apart) seen += Math.hypot(p.x - points[k - 1]!.x, p.y - points[k - 1]!.y);
        }
        return Math.round(seen);
      });
    });
    expect(own).toHaveLength(8);
    expect(own.filter((length) => length < 20), `own lengths on screen: ${own.join(', ')}`).toEqual([]);
    await page.screenshot({ path: SCREENSHOTS.row });
  });

  it('lays out 40 roots without positions readably, all in view and none on another', async (ctx) => {
    needChromium(ctx);
    await openFile('forty.json', fortyUnplacedRoots());
    const boxes = await settledBoxes(40);
    const canvas = await canvasBox();
    expect(boxes.filter((b) => !within(b, canvas))).toEqual([]);
    expect(boxes.flatMap((b, i) => boxes.slice(i + 1).filter((c) => overlap(b, c)))).toEqual([]);
    // Fit view shows them at a third of their size or more: names can still be told apart.
    expect(Math.min(...boxes.map((b) => b.width))).toBeGreaterThan(220 * 0.3);
    await page.screenshot({ path: SCREENSHOTS.forty });
  });

  it('finds a root by name: selects it and brings it to the middle of the view', async (ctx) => {
    needChromium(ctx);
    const search = page.getByRole('search', { name: 'Find a root' });
    await search.getByRole('combobox').fill('nowhere');
    await search.getByRole('button', { name: 'Find' }).click();
    expect(await page.locator('.canvas-search-missing').innerText()).toBe('No root is named like “nowhere”.');
    await search.getByRole('combobox').fill('cloud-27');
    await search.getByRole('combobox').press('Enter');
    await page.getByRole('form', { name: 'Root cloud-27' }).waitFor();
    const canvas = centreOf(await canvasBox());
    await expect
      .poll(async () => {
        const found = centreOf(await box(node('cloud-27')));
        return Math.hypot(found.x - canvas.x, found.y - canvas.y) < 40;
      }, poll)
      .toBe(true);
    expect(await node('cloud-27').locator('.root-node').getAttribute('class')).toContain('selected');
    await page.screenshot({ path: SCREENSHOTS.found });
  });

  it('reported no console error, failed request or CSP violation', (ctx) => {
    needChromium(ctx);
    expect(session?.errors).toEqual([]);
  });
});
