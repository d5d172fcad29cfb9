import { describe, expect, it } from 'vitest';
import { buildDeployPackage, verifyDeployDigest, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { createManualClock, settle } from '../clock.ts';
import type { PeerClient, PeerResponse } from '../wire/peerClient.ts';
import { createDigestCheck } from './digestCheck.ts';
import { createPackageFetch, type Announced, type PackageFetchOptions } from './packageFetch.ts';
import { withPartsOnly } from '../../src-shared/protocol/packageParts.ts';

const T0 = Date.UTC(2026, 0, 2, 3, 0, 0);
const RETRY_MS = 2_000;
/** The fetch's first wait, doubled after each failure up to RETRY_MS. */
const FIRST_RETRY_MS = 100;

const makePackage = (text = 'a') =>
  buildDeployPackage({
    topologyId: 't1',
    createdAt: new Date(T0).toISOString(),
    entryRootId: 1,
    nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': text } } },
    identityKeys: {},
  });

const json = (status: number, value: unknown): PeerResponse => ({ status, body: Buffer.from(JSON.stringify(value)) });

/** Neighbours answering from `answers` (by node, one answer per request, the last one repeated); every request is noted. */
function setup(answers: Record<string, PeerResponse[]>, extra: Partial<PackageFetchOptions> = {}) {
  const clock = createManualClock(T0);
  const asked: string[] = [];
  const bodies: unknown[] = [];
  const client: PeerClient = {
    request: async (target, _method, _path, body) => {
      asked.push(`${target.node} @${clock.now() - T0}`);
      bodies.push(body);
      const queue = answers[target.node] ?? [json(404, { error: 'not_found' })];
      return queue.length > 1 ? queue.shift()! : queue[0]!;
    },
    open: () => {
      throw new Error('not used');
    },
    close: () => undefined,
  };
  const fetch = createPackageFetch({
    client,
    targetOf: (node) => (node === 'root-9' ? undefined : { node, url: `https://${node}.invalid` }),
    neighbours: () => ['root-2', 'root-3'],
    clock,
    maxPackageBytes: 1 << 20,
    checkDigest: createDigestCheck(),
    retryMs: RETRY_MS,
    attempts: 4,
    ...extra,
  });
  return { fetch, clock, asked, bodies };
}

/** Runs the fetch to its end, moving the clock on by each retry wait once the fetch waits (digests take real time). */
async function run(t: ReturnType<typeof setup>, announced: Announced, from: string | null, parts?: readonly string[]) {
  let done = false;
  const result = t.fetch(announced, from, parts).finally(() => (done = true));
  while (!done) {
    if (t.clock.pending() > 0) await t.clock.advanceAsync(FIRST_RETRY_MS);
    else await settle();
  }
  return result;
}

describe('createPackageFetch', () => {
  it('takes the package from the neighbour that told this node, at once', async () => {
    const pkg = await makePackage();
    const t = setup({ 'root-3': [json(200, pkg)] });
    expect(await run(t, pkg, 'root-3')).toEqual({ package: pkg, from: 'root-3' });
    expect(t.asked).toEqual(['root-3 @0']);
  });

  it('goes round the neighbours, waiting a little at first and longer after each attempt, until one has the very package announced', async () => {
    const pkg = await makePackage();
    const damaged = { ...pkg, nodes: { 'root-1': { ...pkg.nodes['root-1']!, files: { 'a.conf': 'altered' } } } };
    const t = setup({ 'root-3': [json(503, { error: 'unavailable' }), json(200, damaged), json(200, pkg)], 'root-2': [json(200, { topologyId: 3 })] }, { attempts: 5 });
    const result = await run(t, pkg, 'root-3');
    expect(result).toEqual({ package: pkg, from: 'root-3' });
    expect(await verifyDeployDigest((result as { package: DeployPackage }).package)).toBe(true);
    expect(t.asked).toEqual(['root-3 @0', 'root-2 @100', 'root-3 @300', 'root-2 @700', 'root-3 @1500']);
  });

  it.each<[string, (pkg: DeployPackage) => PeerResponse, string]>([
    ['an answer other than 200', () => json(404, { error: 'not_found' }), 'root-2 answered 404: {"error":"not_found"}'],
    ['something that is not a package', (pkg) => json(200, { ...pkg, deadlineMs: 'soon' }), 'root-2 sent a package that is not one: deadlineMs: Invalid input: expected number, received string, found "soon"'],
    ['something that is not JSON', () => ({ status: 200, body: Buffer.from('<html>') }), `root-2 sent a package that is not one: not JSON: Unexpected token '<', "<html>" is not valid JSON`],
  ])('gives up after its attempts, saying what went wrong last: %s', async (_name, answer, failed) => {
    const pkg = await makePackage();
    const t = setup({ 'root-2': [answer(pkg)] }, { neighbours: () => ['root-2'] });
    expect(await run(t, pkg, null)).toEqual({ failed });
    expect(t.asked).toEqual(['root-2 @0', 'root-2 @100', 'root-2 @300', 'root-2 @700']);
  });

  it('keeps asking busy neighbours past its attempts while the deploy may still be confirmed', async () => {
    const pkg = await makePackage();
    const busy = json(503, { error: 'unavailable' });
    const t = setup({ 'root-2': [busy, busy, busy, busy, busy, busy, json(200, pkg)] }, { neighbours: () => ['root-2'], attempts: 2 });
    expect(await run(t, { ...pkg, confirmBy: T0 + 60_000 }, null)).toEqual({ package: pkg, from: 'root-2' });
    expect(t.asked).toHaveLength(7);
    const late = setup({ 'root-2': [busy] }, { neighbours: () => ['root-2'], attempts: 2 });
    expect(await run(late, { ...pkg, confirmBy: T0 + 5_000 }, null)).toMatchObject({ failed: expect.stringContaining('503') });
    // Waits of 100, 200, 400, 800, 1,600 ms; the next, of 2,000, would start past the deadline.
    expect(late.asked).toEqual(['root-2 @0', 'root-2 @100', 'root-2 @300', 'root-2 @700', 'root-2 @1500', 'root-2 @3100']);
  });

  it('asks only roots when it has any: its leaves take their package from it', async () => {
    const pkg = await makePackage();
    const t = setup({ 'root-3': [json(503, { error: 'unavailable' }), json(200, pkg)] }, { neighbours: () => ['leaf-1-1', 'root-3', 'leaf-1-2'] });
    expect(await run(t, pkg, 'root-3')).toEqual({ package: pkg, from: 'root-3' });
    expect(t.asked).toEqual(['root-3 @0', 'root-3 @100']);
    const leaf = setup({ 'root-1': [json(200, pkg)] }, { neighbours: () => ['root-1'] });
    expect(await run(leaf, pkg, 'root-1')).toEqual({ package: pkg, from: 'root-1' });
  });

  it('refuses another package than the one announced, and says when a neighbour has no address', async () => {
    const pkg = await makePackage();
    const other = await makePackage('b');
    expect(await run(setup({ 'root-2': [json(200, other)] }, { neighbours: () => ['root-2'], attempts: 1 }), pkg, null)).toEqual({
      failed: 'root-2 sent a package that does not match the announced digest',
    });
    expect(await run(setup({}, { neighbours: () => [], attempts: 1 }), pkg, 'root-9')).toEqual({ failed: 'root-9 is not a neighbour with an address' });
    expect(await run(setup({}, { neighbours: () => [] }), pkg, null)).toEqual({ failed: 'no neighbour to fetch it from' });
  });

  it('asks for some parts only when told, and takes a copy only when it carries them all', async () => {
    const whole = await buildDeployPackage({
      topologyId: 't1',
      createdAt: new Date(T0).toISOString(),
      entryRootId: 1,
      nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': 'a' } }, 'root-2': { backend: 'dry-run', files: { 'b.conf': 'b' } }, 'leaf-2-1': { backend: 'dry-run', files: { 'c.conf': 'c' } } },
      identityKeys: {},
    });
    const mine = await withPartsOnly(whole, ['root-2', 'leaf-2-1']);
    const rootOnly = await withPartsOnly(whole, ['root-2']);
    const t = setup({ 'root-3': [json(200, rootOnly), json(200, mine)] }, { neighbours: () => ['root-3'] });
    expect(await run(t, whole, 'root-3', ['root-2'])).toEqual({ package: mine, from: 'root-3' });
    expect(t.bodies).toEqual([{ topologyId: 't1', digest: whole.digest, parts: ['root-2'] }, { topologyId: 't1', digest: whole.digest, parts: ['root-2'] }]);
    const refused = setup({ 'root-3': [json(200, rootOnly)] }, { neighbours: () => ['root-3'], attempts: 1 });
    expect(await run(refused, whole, 'root-3', ['root-2'])).toEqual({ failed: 'root-3 sent a copy without the parts of leaf-2-1' });
    const wholeWanted = setup({ 'root-3': [json(200, mine)] }, { neighbours: () => ['root-3'], attempts: 1 });
    expect(await run(wholeWanted, whole, 'root-3')).toEqual({ failed: 'root-3 sent a copy without the parts of root-1' });
  });
});
