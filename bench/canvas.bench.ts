// Benchmark: the graph in headless Chromium (Debian's, through Playwright) on 500 roots, 1,000 tunnels and 2,000 leaves,
// placed on a grid as a drawn topology would be, logged in with every node's status. Measures the time from navigation
// to every root and tunnel drawn and painted (firstMs, target < 1,500), frames per second while one root is dragged for
// 3 s (dragFps, target ≥ 30) and while all 500 roots' statuses, their 1,000 tunnels' states and 2,000 leaves' clients
// change once a second (statusFps, target ≥ 30), and the page's JS heap after a garbage collection (heapBytes).
// ROOTS=100 for a quicker run.
import type { Page } from 'playwright';
import type { Topology } from '../src-shared/topology/schemas.ts';
import { buildApp } from '../e2e/ui/buildApp.ts';
import { chromiumMissing, launchChromium } from '../e2e/ui/chromium.ts';
import { startCanvasHost } from './canvasHost.ts';
import { syntheticTopology } from './topologies.ts';

const ROOTS = Number(process.env.ROOTS ?? 500);
const TUNNELS = ROOTS * 2;
/** 400 clients make four leaves of 100 (the planner's clients per leaf): 2,000 leaves for 500 roots. */
const MAX_CLIENTS = 400;
const LEAVES_PER_ROOT = 4;
const DRAG_MS = 3000;
const STATUS_MS = 5000;
const VIEWPORT = { width: 1400, height: 850 };

/** The synthetic topology on a grid about as wide as high, 300 × 220 px apart. */
function drawnTopology(): Topology {
  const raw = syntheticTopology(ROOTS, TUNNELS, MAX_CLIENTS);
  const columns = Math.ceil(Math.sqrt(ROOTS * 1.5));
  return { roots: raw.roots.map((r, i) => ({ ...r, position: { x: (i % columns) * 300, y: Math.floor(i / columns) * 220 } })), tunnels: raw.tunnels };
}

/** Starts counting animation frames in the page; the returned function gives frames per second since. */
async function countFrames(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const counter = { frames: 0, since: performance.now() };
    (globalThis as unknown as { frameCounter: typeof counter }).frameCounter = counter;
    const tick = () => {
      counter.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return () =>
    page.evaluate(() => {
      const counter = (globalThis as unknown as { frameCounter: { frames: number; since: number } }).frameCounter;
      return (counter.frames * 1000) / (performance.now() - counter.since);
    });
}

const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}
buildApp();
const topology = drawnTopology();
const host = await startCanvasHost(topology);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  // Every root and tunnel drawn: React Flow keeps a root hidden until it has measured it. Checked at each frame's start,
  // and timed once that frame has been laid out and painted (a task queued then runs after it): a DOM complete before
  // its layout is not yet on screen.
  await page.goto(host.url);
  const firstMs = Math.round(
    await page.evaluate(
      ({ roots, tunnels, timeoutMs }) =>
        new Promise<number>((resolve, reject) => {
          const drawn = () => {
            const nodes = document.querySelectorAll('.react-flow__node');
            if (nodes.length < roots || document.querySelectorAll('.react-flow__edge-path').length < tunnels) return false;
            for (const node of nodes) if ((node as HTMLElement).style.visibility === 'hidden' || node.querySelector('[data-testid="root-status"]') === null) return false;
            return true;
          };
          const giveUp = setTimeout(() => reject(new Error(`not drawn after ${timeoutMs} ms`)), timeoutMs);
          const check = () => {
            if (!drawn()) return void requestAnimationFrame(check);
            const afterFrame = new MessageChannel();
            afterFrame.port1.onmessage = () => {
              clearTimeout(giveUp);
              resolve(performance.now());
            };
            afterFrame.port2.postMessage(null);
          };
          requestAnimationFrame(check);
        }),
      { roots: topology.roots.length, tunnels: topology.tunnels.length, timeoutMs: 60_000 },
    ),
  );
  console.log(`${ROOTS} roots, ${TUNNELS} tunnels, ${ROOTS * LEAVES_PER_ROOT} leaves drawn ${firstMs} ms after navigation`);

  // Dragging one root in the middle by its name row, in a circle, as fast as the page takes the moves.
  const middle = `root-${Math.ceil(ROOTS / 2)}`;
  const grip = await page.locator(`.react-flow__node[data-id="${middle}"] .root-node-grip`).boundingBox();
  if (!grip) throw new Error(`${middle} is not on screen`);
  const start = { x: grip.x + grip.width / 2, y: grip.y + grip.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const dragFpsSince = await countFrames(page);
  const dragStart = Date.now();
  let moves = 0;
  while (Date.now() - dragStart < DRAG_MS) {
    const angle = moves / 10;
    await page.mouse.move(start.x + 60 * Math.sin(angle), start.y + 60 * (1 - Math.cos(angle)));
    moves++;
  }
  const dragFps = Math.round(await dragFpsSince());
  await page.mouse.up();
  console.log(`dragging one root: ${dragFps} frames per second (${moves} pointer moves in ${DRAG_MS / 1000} s)`);
  await page.waitForTimeout(1000);

  // Every root's status, tunnel's state and leaf's clients flip once a second.
  const downBefore = await page.locator('.root-node.status-warn').count();
  const tunnelsDownBefore = await page.locator('.tunnel-edge.tunnel-down').count();
  host.flipStatuses(true);
  const statusFpsSince = await countFrames(page);
  await page.waitForTimeout(STATUS_MS);
  const statusFps = Math.round(await statusFpsSince());
  host.flipStatuses(false);
  const downAfter = await page.locator('.root-node.status-warn').count();
  const tunnelsDownAfter = await page.locator('.tunnel-edge.tunnel-down').count();
  console.log(
    `${ROOTS} roots' statuses and ${TUNNELS} tunnels' states flipping once a second: ${statusFps} frames per second (${host.flips()} flips; ` +
      `roots down before ${downBefore}, after ${downAfter}; tunnels down before ${tunnelsDownBefore}, after ${tunnelsDownAfter})`,
  );

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heapBytes = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  console.log(`JS heap after a collection: ${(heapBytes / 2 ** 20).toFixed(1)} MiB`);
  if (errors.length > 0) console.log(`the page reported: ${errors.join('\n')}`);
  console.log(JSON.stringify({ firstMs, dragFps, statusFps, heapBytes }));
} finally {
  await browser.close();
  await host.close();
}
