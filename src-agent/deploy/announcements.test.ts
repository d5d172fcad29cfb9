import { describe, expect, it } from 'vitest';
import { buildDeployPackage, verifyDeployDigest, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { MessageBody } from '../../src-shared/protocol/messages.ts';
import { packageLike, STAND_IN_DIGEST as DIGEST } from './packageLike.testkit.ts';
import { ANNOUNCED_KEPT, announcementAction, announcementOf, confirmationConcerns, remember, rootIdOf, type AnnouncementAction, type AnnouncementContext } from './announcements.ts';

const kept = packageLike();
const body = (over: Partial<MessageBody<'deploy'>> = {}): MessageBody<'deploy'> => ({ topologyId: 't2', digest: `sha256:${'b'.repeat(64)}`, size: 1_000, confirmBy: 0, ...over });
const here = (over: Partial<AnnouncementContext> = {}): AnnouncementContext => ({
  kept: (digest) => (digest === kept.digest ? kept : undefined),
  inFlight: () => false,
  fetches: 0,
  maxFetches: 4,
  maxPackageBytes: 1 << 20,
  ...over,
});

describe('rootIdOf', () => {
  it.each([
    ['root-7', 7],
    ['leaf-7-1', undefined],
    ['nobody', undefined],
  ])('%s → %s', (origin, rootId) => {
    expect(rootIdOf(origin)).toBe(rootId);
  });
});

describe('remember', () => {
  it('adds a topology once, and keeps the newest few', () => {
    expect(remember(['a'], 'b')).toEqual(['a', 'b']);
    const same = ['a', 'b'];
    expect(remember(same, 'a')).toBe(same);
    const full = Array.from({ length: ANNOUNCED_KEPT }, (_, i) => `t${i}`);
    expect(remember(full, 'new')).toEqual([...full.slice(1), 'new']);
  });
});

describe('announcementAction', () => {
  it.each<[string, MessageBody<'deploy'>, AnnouncementContext, AnnouncementAction]>([
    ['fetches a package it has not got', body(), here(), { act: 'fetch' }],
    ['gives a package kept to the engine again', body({ topologyId: 't1', digest: DIGEST }), here(), { act: 'redeliver', pkg: kept }],
    ['fetches a package under the kept id with another digest (the rules decide on it)', body({ topologyId: 't1' }), here(), { act: 'fetch' }],
    ['fetches a package announced under another id than the one kept with its digest', body({ topologyId: 't9', digest: DIGEST }), here(), { act: 'fetch' }],
    ['lets a package larger than allowed go', body({ size: (1 << 20) + 1 }), here(), { act: 'none' }],
    ['starts nothing for a package on its way already', body(), here({ inFlight: (d) => d === body().digest }), { act: 'none' }],
    ['lets an announcement go when fetching as many as allowed', body(), here({ fetches: 4 }), { act: 'ignore', reason: '4 packages are being fetched already' }],
    ['fetches with nothing kept', body({ topologyId: 't1', digest: DIGEST }), here({ kept: () => undefined }), { act: 'fetch' }],
  ])('%s', (_name, announced, context, action) => {
    expect(announcementAction(announced, context)).toEqual(action);
  });
});

describe('confirmationConcerns', () => {
  it.each<[string, string, DeployPackage | undefined, string[], boolean]>([
    ['the package kept', 't1', kept, [], true],
    ['a topology announced here', 't2', kept, ['t2'], true],
    ['a topology never heard of', 't3', kept, ['t2'], false],
    ['anything, with nothing kept or announced', 't1', undefined, [], false],
  ])('%s', (_name, topologyId, current, announced, concerns) => {
    expect(confirmationConcerns(topologyId, current, announced)).toBe(concerns);
  });
});

describe('announcementOf', () => {
  const pkg = () =>
    buildDeployPackage({
      topologyId: 't1',
      createdAt: '2026-12-08T02:00:00.000Z',
      entryRootId: 1,
      nodes: Object.fromEntries(['root-1', 'leaf-1-1', 'root-2'].map((node) => [node, { backend: 'dry-run' as const, files: { 'a.conf': node.repeat(100) } }])),
      identityKeys: {},
    });

  it('carries the package’s index (no part, the same digest) when it fits in half a flood line', async () => {
    const body = await announcementOf(await pkg(), 5_000, 1_000, 256 * 1024);
    expect(body).toMatchObject({ topologyId: 't1', size: 5_000, confirmBy: 1_000 });
    expect(body.index?.nodes).toEqual({});
    expect(Object.keys(body.index!.omitted).sort()).toEqual(['leaf-1-1', 'root-1', 'root-2']);
    expect(body.index!.digest).toBe(body.digest);
    expect(await verifyDeployDigest(body.index!)).toBe(true);
  });

  it('leaves the index out when it would not fit: every node fetches its copy then', async () => {
    const body = await announcementOf(await pkg(), 5_000, 1_000, 1_024);
    expect(body).not.toHaveProperty('index');
    expect(body.digest).toMatch(/^sha256:/);
  });
});
