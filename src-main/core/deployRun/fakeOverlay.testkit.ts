// An overlay played in memory for deploy tests: an access file's worth of nodes with real identity certificates, and an
// entry root whose status shows each node applying, failing or staying silent after a deploy, on a clock the test moves.
import { generateKeyPairSync } from 'node:crypto';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { textDigest } from '../../../src-shared/protocol/adminState.ts';
import type { AdminState } from '../../../src-shared/protocol/adminState.ts';
import type { DeployBackend, DeployPackage } from '../../../src-shared/protocol/deployPackage.ts';
import type { NodeStatus } from '../../../src-shared/protocol/messages.ts';
import { completeParts } from '../../../src-shared/protocol/packageParts.ts';
import { createCsr } from '../../../src-node/x509/certificationRequest.ts';
import { signCsr } from '../../../src-node/x509/signCsr.ts';
import { createCa } from '../pki/issueCertificate.ts';
import type { DeployClock, EntryApi } from './runDeploy.ts';

/** `nodes`: every node with its agent's backend; the first is the entry root. */
export function fakeAccess(nodes: Record<string, DeployBackend>): OverlayAccess {
  const ca = createCa('raincoat control CA (test)');
  const names = Object.keys(nodes);
  return {
    version: 1,
    name: 'test',
    entry: names[0]!,
    controlCaPem: ca.certPem,
    nodes: Object.fromEntries(
      names.map((node, i) => {
        const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        return [node, { url: `https://127.0.0.1:${7443 + i}`, certPem: signCsr(ca, createCsr(node, key), 'peer').certPem, backend: nodes[node]! }];
      }),
    ),
  };
}

/** A clock whose sleeps pass at once, moving time on. */
export function steppingClock(start = Date.parse('2026-12-07T12:00:00Z')): DeployClock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** What a node does with a deploy: applies it (after `afterMs`), fails with a reason, or is not heard from at all. */
export type Behaviour = { does: 'apply'; afterMs?: number } | { does: 'fail'; reason: string } | { does: 'silent' };

export interface FakeOverlay {
  entry: EntryApi;
  /** The packages the entry root took, completed as it completes them. */
  posted: DeployPackage[];
  /** How many parts each post carried (a copy leaves out the parts the entry root keeps). */
  partsSent: number[];
  /** The entry root loses the packages it keeps (a new entry root): a copy that leaves parts out is refused. */
  forgetPackages(): void;
  confirmed: string[];
  /** The administrator states the entry root was given to keep. */
  states: AdminState[];
  /** What each node runs now (its last applied topology). */
  running: Map<string, string>;
  behave(node: string, behaviour: Behaviour): void;
}

export function fakeOverlay(nodes: readonly string[], clock: Pick<DeployClock, 'now'>, options: { refuseDeploy?: string; refuseState?: string } = {}): FakeOverlay {
  const behaviours = new Map<string, Behaviour>();
  const running = new Map<string, string>();
  const posted: DeployPackage[] = [];
  const partsSent: number[] = [];
  let keptSince = 0;
  const confirmed: string[] = [];
  const states: AdminState[] = [];
  let deployedAt = 0;

  const statusOf = (node: string): NodeStatus => {
    const now = clock.now();
    const behaviour = behaviours.get(node) ?? { does: 'apply' };
    const pkg = posted.at(-1);
    const topologyId = running.get(node) ?? null;
    if (behaviour.does === 'silent') return { node, state: 'down', lastHeartbeat: deployedAt - 20_000, topologyId };
    if (pkg !== undefined && running.get(node) !== pkg.topologyId) {
      if (behaviour.does === 'fail') return { node, state: 'failed', reason: behaviour.reason, lastHeartbeat: now, topologyId };
      if (now >= deployedAt + (behaviour.afterMs ?? 0)) running.set(node, pkg.topologyId);
      else return { node, state: 'deploying', lastHeartbeat: now, topologyId };
    }
    return { node, state: 'alive', lastHeartbeat: now, topologyId: running.get(node) ?? null };
  };

  const entry: EntryApi = {
    status: async () => ({ ok: true, status: 200, answer: { node: nodes[0]!, generatedAt: clock.now(), nodes: nodes.map(statusOf) } }),
    deploy: async (body) => {
      if (options.refuseDeploy !== undefined) return { ok: false, code: 'conflict', status: 409, reason: options.refuseDeploy };
      partsSent.push(Object.keys(body.nodes).length);
      // As a root completes a copy from the packages it keeps.
      const completed = await completeParts(body as DeployPackage, posted.slice(keptSince));
      if ('lacking' in completed) return { ok: false, code: 'not_found', status: 404, reason: `no part of ${completed.lacking.join(', ')}` };
      posted.push(completed.package);
      deployedAt = clock.now();
      return { ok: true, status: 202, answer: { topologyId: body.topologyId, digest: completed.package.digest } };
    },
    confirmDeploy: async ({ topologyId }) => {
      confirmed.push(topologyId);
      return { ok: true, status: 200, answer: { result: 'confirmed', status: { state: 'deployed', topologyId, at: clock.now() } } };
    },
    putAdminState: async (state) => {
      if (options.refuseState !== undefined) return { ok: false, code: 'too_large', status: 413, reason: options.refuseState };
      states.push(state as AdminState);
      const text = JSON.stringify(state);
      return { ok: true, status: 200, answer: { kept: 'new', head: { topologyId: state.topologyId, storedAt: clock.now(), storedBy: 1, digest: await textDigest(text), size: text.length } } };
    },
  };
  return { entry, posted, partsSent, forgetPackages: () => (keptSince = posted.length), confirmed, states, running, behave: (node, behaviour) => behaviours.set(node, behaviour) };
}
