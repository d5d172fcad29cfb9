import { describe, expect, it } from 'vitest';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { acceptPackage, CREATED_AT_SKEW_MS, heldOf, type Arrival, type NodeHolding, type Verdict } from './acceptPackage.ts';
import { packageLike, STAND_IN_DIGEST as DIGEST } from './packageLike.testkit.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

const ROOT_1_PART = { 'root-1': { backend: 'dry-run' as const, files: {}, sealedSecrets: {} } };
const pkg = (over: Partial<DeployPackage> = {}) => packageLike({ topologyId: 't2', createdAt: iso(NOW), nodes: ROOT_1_PART, ...over });

const APPLICATION: Arrival = { via: 'application', self: 'root-1', selfRootId: 1, beingDeployed: false };
const FROM_ROOT_1: Arrival = { via: 'flood', announcedBy: 1 };
const DIRECT: Arrival = { via: 'direct' };
const NOTHING_HELD: NodeHolding = { held: undefined, heldFailed: false, inUse: [], digestIntact: true, now: NOW };
/** This node holds t1, made a second before the packages below, and runs it. */
const HOLDS_T1: NodeHolding = { ...NOTHING_HELD, held: { topologyId: 't1', digest: OTHER_DIGEST, createdAt: iso(NOW - 1_000) }, inUse: [{ topologyId: 't1', digest: OTHER_DIGEST }] };
/** This node runs t0, and the deploy of t1 it holds failed. */
const T1_FAILED: NodeHolding = { ...HOLDS_T1, heldFailed: true, inUse: [{ topologyId: 't0', digest: OTHER_DIGEST }] };

describe('acceptPackage', () => {
  it.each<[string, DeployPackage, Arrival, NodeHolding, Verdict]>([
    ['a new package from the application, at its entry root', pkg(), APPLICATION, HOLDS_T1, { accepted: 'new' }],
    ['a new package announced by its entry root', pkg(), FROM_ROOT_1, HOLDS_T1, { accepted: 'new' }],
    ['a new package handed over directly', pkg(), DIRECT, NOTHING_HELD, { accepted: 'new' }],
    ['the package held, again', pkg({ topologyId: 't1', digest: OTHER_DIGEST, createdAt: iso(NOW - 1_000) }), FROM_ROOT_1, HOLDS_T1, { accepted: 'unchanged' }],
    ['the package held, again, after it failed here: tried again', pkg({ topologyId: 't1', digest: OTHER_DIGEST, createdAt: iso(NOW - 1_000) }), APPLICATION, T1_FAILED, { accepted: 'new' }],
    ['the same from the flood', pkg({ topologyId: 't1', digest: OTHER_DIGEST, createdAt: iso(NOW - 1_000) }), FROM_ROOT_1, T1_FAILED, { accepted: 'new' }],
    [
      'a package with no part for its entry root, from the application',
      pkg({ nodes: { 'root-7': ROOT_1_PART['root-1'], 'leaf-7-1': ROOT_1_PART['root-1'] } }),
      APPLICATION,
      HOLDS_T1,
      { refused: 'conflict', reason: 'the package has no part for root-1, its entry root: it is not a deploy of this overlay' },
    ],
    ['the same from the flood', pkg({ nodes: {} }), FROM_ROOT_1, NOTHING_HELD, { refused: 'conflict', reason: 'the package has no part for root-1, its entry root: it is not a deploy of this overlay' }],
    ['a copy without its parts, from the application', pkg({ nodes: {}, omitted: { 'root-1': OTHER_DIGEST } }), APPLICATION, HOLDS_T1, { refused: 'malformed', reason: 'the application posts a whole package: this one leaves parts out' }],
    ['a copy from the flood that leaves out its entry root’s part', pkg({ nodes: {}, omitted: { 'root-1': OTHER_DIGEST } }), FROM_ROOT_1, HOLDS_T1, { accepted: 'new' }],
    ['a package adding roots, with a part for its entry root', pkg({ nodes: { ...ROOT_1_PART, 'root-7': ROOT_1_PART['root-1'] } }), APPLICATION, HOLDS_T1, { accepted: 'new' }],
    ['a first deploy', pkg(), APPLICATION, NOTHING_HELD, { accepted: 'new' }],
    ['a package posted to a leaf', pkg(), { ...APPLICATION, self: 'leaf-1-1', selfRootId: undefined }, NOTHING_HELD, { refused: 'forbidden', reason: 'leaf-1-1 is a leaf; post the package to a root' }],
    ['a package posted to another root than its entry root', pkg({ entryRootId: 2 }), APPLICATION, NOTHING_HELD, { refused: 'conflict', reason: 'the package names root 2 as its entry root, but this is root-1' }],
    ['a package announced by another root than its entry root', pkg({ entryRootId: 2 }), FROM_ROOT_1, NOTHING_HELD, { refused: 'conflict', reason: 'the package names root 2 as its entry root' }],
    ['a package whose digest does not match', pkg(), FROM_ROOT_1, { ...NOTHING_HELD, digestIntact: false }, { refused: 'malformed', reason: 'digest mismatch: the package was altered or damaged on its way' }],
    [
      'a package from the future',
      pkg({ createdAt: iso(NOW + CREATED_AT_SKEW_MS + 1) }),
      DIRECT,
      NOTHING_HELD,
      { refused: 'conflict', reason: `created in the future: ${iso(NOW + CREATED_AT_SKEW_MS + 1)} is more than 30 s ahead of this node's clock (${iso(NOW)})` },
    ],
    ['a package just within the clock skew', pkg({ createdAt: iso(NOW + CREATED_AT_SKEW_MS) }), DIRECT, NOTHING_HELD, { accepted: 'new' }],
    ['a package being deployed already, posted again', pkg(), { ...APPLICATION, beingDeployed: true }, NOTHING_HELD, { refused: 'conflict', reason: 'topology t2 is being deployed already' }],
    ['a topology id held under another digest', pkg({ topologyId: 't1' }), DIRECT, HOLDS_T1, { refused: 'conflict', reason: 'topology t1 is already known here with another digest' }],
    ['the topology id in effect under another digest, newer than the one held', pkg({ topologyId: 't0' }), APPLICATION, T1_FAILED, { refused: 'conflict', reason: 'topology t0 is already known here with another digest' }],
    [
      'the topology id kept to go back to, under another digest',
      pkg({ topologyId: 't0' }),
      FROM_ROOT_1,
      { ...HOLDS_T1, inUse: [...HOLDS_T1.inUse, { topologyId: 't0', digest: OTHER_DIGEST }] },
      { refused: 'conflict', reason: 'topology t0 is already known here with another digest' },
    ],
    ['a package older than the one held', pkg({ createdAt: iso(NOW - 2_000) }), APPLICATION, HOLDS_T1, { refused: 'conflict', reason: 'stale: older than topology t1, which this node already has' }],
    ['a package as old as the one held', pkg({ createdAt: iso(NOW - 1_000) }), FROM_ROOT_1, HOLDS_T1, { accepted: 'new' }],
  ])('%s', (_name, input, arrival, here, verdict) => {
    expect(acceptPackage(input, arrival, here)).toEqual(verdict);
  });

  it.each<[string, DeployPackage, Arrival, NodeHolding, string]>([
    ['where it comes from, before its digest', pkg({ entryRootId: 2 }), FROM_ROOT_1, { ...NOTHING_HELD, digestIntact: false }, 'the package names root 2 as its entry root'],
    ['where it enters, before its digest', pkg({ nodes: {} }), APPLICATION, { ...NOTHING_HELD, digestIntact: false }, 'the package has no part for root-1, its entry root: it is not a deploy of this overlay'],
    ['its digest, before its age', pkg({ createdAt: iso(NOW + CREATED_AT_SKEW_MS + 1) }), DIRECT, { ...HOLDS_T1, digestIntact: false }, 'digest mismatch: the package was altered or damaged on its way'],
    ['its topology id, before its age', pkg({ topologyId: 't1', createdAt: iso(NOW - 2_000) }), DIRECT, HOLDS_T1, 'topology t1 is already known here with another digest'],
    ['a deploy under way, before what is held', pkg({ topologyId: 't1', digest: OTHER_DIGEST }), { ...APPLICATION, beingDeployed: true }, HOLDS_T1, 'topology t1 is being deployed already'],
  ])('tells %s', (_name, input, arrival, here, reason) => {
    expect(acceptPackage(input, arrival, here)).toMatchObject({ reason });
  });

  it('remembers of a package what the rules compare', () => {
    expect(heldOf(pkg())).toEqual({ topologyId: 't2', digest: DIGEST, createdAt: iso(NOW) });
  });
});
