import { describe, expect, it } from 'vitest';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployState, Trial } from './deployState.ts';
import { packageLike } from './packageLike.testkit.ts';
import { deployStep, initialDeployState, type DeployConfig, type DeployDone, type DeployEvent, type DeployStep, type EngineState } from './deployStep.ts';
import type { SealedBackup } from './sealedBackup.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 0, 0);
const DEADLINE = 60_000;
const SECRET = 'a-pre-shared-key-long-enough-to-hide';
const CONFIG: DeployConfig = { self: 'root-1', backendName: 'linux', accepts: (b) => b === 'linux', rollbackRetryMs: 30_000 };
/** A backup as the machine sees it: sealed, passed on as it is; `name` tells two apart. */
const sealed = (name: string): SealedBackup => ({ v: 1, kid: 'k'.repeat(43), epk: 'e'.repeat(87), iv: 'i'.repeat(16), ct: name.padEnd(22, '_') });
const BEFORE = sealed('before');
const T0_BACKUP = sealed('t0');
/** The digest of the part OPENED carries (a stand-in: the machine only compares digests). */
const PART_DIGEST = `hmac-sha256:${'d'.repeat(64)}`;
const OPENED: DeployEvent = {
  kind: 'opened',
  resolved: { part: { files: { 'a.conf': { content: SECRET, mode: 0o600 } }, commands: [] }, secretValues: [SECRET], digest: PART_DIGEST },
};
const BACKED_UP: DeployEvent = { kind: 'backed-up', backup: BEFORE };
const WORKED: DeployEvent = { kind: 'worked' };
const failed = (message: string): DeployEvent => ({ kind: 'work-failed', message });

const pkg = (over: Partial<DeployPackage> = {}) =>
  packageLike({ createdAt: new Date(NOW).toISOString(), deadlineMs: DEADLINE, nodes: { 'root-1': { backend: 'linux', files: {}, sealedSecrets: {} } }, ...over });
const REMOVAL = pkg({ topologyId: 't2', nodes: {}, removed: { nodes: ['root-1'], tunnels: [] } });

/** A package in effect, or to go back to, by its id (digests are stand-ins). */
const ref = (topologyId: string) => ({ topologyId, digest: `sha256:${topologyId.padEnd(64, '0')}` });
const idle = (over: Partial<DeployState> = {}): EngineState => ({ saved: { ...initialDeployState(NOW - 1), ...over } });
const trial = (over: Partial<Trial> = {}): Trial => ({ topologyId: 't0', phase: 'awaiting-confirm', deadlineAt: NOW + 10, revertTo: T0_BACKUP, ...over });

/**
 * Runs an operation the way the engine does: the event, then each scripted answer to the work asked for. Returns what
 * was done in order (`status <state>`, `save`, `arm <ms>`, `disarm`, `work <type>`), the outcome and the final state.
 */
function drive(state: EngineState, event: DeployEvent, answers: DeployEvent[] = [], now = NOW) {
  const did: string[] = [];
  let step: DeployStep = deployStep(CONFIG, state, event, now);
  for (;;) {
    for (const effect of step.effects) {
      if (effect.type === 'status') did.push(`status ${effect.status.state}`);
      else if (effect.type === 'arm') did.push(`arm ${effect.ms}`);
      else did.push(effect.type);
    }
    if (step.done) return { did, done: step.done, state: step.state.saved };
    did.push(`work ${step.work.type}`);
    const answer = answers.shift();
    if (!answer) throw new Error(`no answer scripted for ${step.work.type}`);
    step = deployStep(CONFIG, step.state, answer, now);
  }
}

const reasonOf = (done: DeployDone) => (done.to === 'receive' || done.to === 'start' ? done.outcome.status.reason : undefined);

describe('deployStep: receiving a package', () => {
  it('opens its secrets, backs up, applies, and waits for the confirmation', () => {
    const { did, done, state } = drive(idle(), { kind: 'receive', pkg: pkg() }, [OPENED, BACKED_UP, WORKED]);
    expect(did).toEqual(['work open', 'status deploying', 'save', 'work backup', 'disarm', 'save', 'work apply', 'status awaiting-confirm', 'save', `arm ${DEADLINE}`]);
    expect(done).toEqual({
      to: 'receive',
      outcome: { result: 'awaiting-confirm', status: { state: 'awaiting-confirm', topologyId: 't1', runningTopologyId: 't1', deadlineAt: NOW + DEADLINE, at: NOW } },
    });
    expect(state).toMatchObject({ latest: { topologyId: 't1' }, running: { topologyId: 't1', digest: pkg().digest }, trial: { topologyId: 't1', phase: 'awaiting-confirm', revertTo: BEFORE } });
  });

  it('asks to end the deleted tunnels this node terminates, and only those', () => {
    const opening = deployStep(CONFIG, idle(), { kind: 'receive', pkg: pkg({ removed: { nodes: [], tunnels: [{ a: 2, b: 1 }, { a: 2, b: 3 }] } }) }, NOW);
    const applying = deployStep(CONFIG, deployStep(CONFIG, opening.state, OPENED, NOW).state, BACKED_UP, NOW);
    expect(applying.work).toMatchObject({ type: 'apply', tunnels: ['tunnel-1-2'] });
  });

  it('keeps the way back of an unconfirmed deploy it supersedes, without a new backup', () => {
    const { did, state } = drive(idle({ running: ref('t0'), trial: trial({ revertToPackage: ref('base') }) }), { kind: 'receive', pkg: pkg() }, [OPENED, WORKED]);
    expect(did).toEqual(['work open', 'status deploying', 'save', 'disarm', 'save', 'work apply', 'status awaiting-confirm', 'save', `arm ${DEADLINE}`]);
    expect(state.trial).toMatchObject({ revertTo: T0_BACKUP, revertToPackage: ref('base') });
  });

  it('deploys at once a package whose confirmation came first', () => {
    const { done, state } = drive(idle({ earlyConfirms: ['t9', 't1'] }), { kind: 'receive', pkg: pkg() }, [OPENED, BACKED_UP, WORKED]);
    expect(done).toMatchObject({ outcome: { result: 'deployed', status: { state: 'deployed', topologyId: 't1' } } });
    expect(state).toMatchObject({ earlyConfirms: ['t9'], confirmed: 't1', trial: undefined });
  });

  it.each<[string, EngineState, DeployPackage, DeployEvent[], string[], string]>([
    ['without a part for this node', idle(), pkg({ nodes: {} }), [], ['status failed', 'save'], 'the package has no part for root-1'],
    [
      'rendered for another backend',
      idle(),
      pkg({ nodes: { 'root-1': { backend: 'vyos', files: {}, sealedSecrets: {} } } }),
      [],
      ['status failed', 'save'],
      'the package renders root-1 for the vyos backend, but this agent runs linux',
    ],
    ['whose secrets do not open', idle(), pkg(), [failed('secret "psk" sealed to another key')], ['work open', 'status failed', 'save'], 'secret "psk" sealed to another key'],
    [
      'when the backup fails',
      idle(),
      pkg(),
      [OPENED, failed('disk full')],
      ['work open', 'status deploying', 'save', 'work backup', 'status failed', 'save'],
      'could not back up the running configuration: disk full',
    ],
    [
      'when applying fails, rolled back, and without the secret',
      idle(),
      pkg(),
      [OPENED, BACKED_UP, failed(`bad value ${SECRET}`), WORKED],
      ['work open', 'status deploying', 'save', 'work backup', 'disarm', 'save', 'work apply', 'disarm', 'work restore', 'status failed', 'save'],
      'apply failed: bad value [secret]; reverted to the configuration from before Raincoat',
    ],
    [
      'when applying fails and the rollback too, to be tried again',
      idle(),
      pkg(),
      [OPENED, BACKED_UP, failed('boom'), failed('disk full')],
      ['work open', 'status deploying', 'save', 'work backup', 'disarm', 'save', 'work apply', 'disarm', 'work restore', 'status failed', 'save', 'arm 30000'],
      'apply failed: boom; restoring the previous configuration failed too (disk full), will retry',
    ],
    [
      'when a rollback still owed fails again',
      idle({ trial: trial({ phase: 'rolling-back', reason: 'apply failed: x' }) }),
      pkg(),
      [OPENED, failed('still broken')],
      ['work open', 'disarm', 'work restore', 'status failed', 'save', 'arm 30000', 'status failed', 'save'],
      'not applied: apply failed: x; restoring the previous configuration failed too (still broken), will retry',
    ],
    [
      'when leaving the overlay and the backup fails',
      idle(),
      REMOVAL,
      [failed('disk full')],
      ['status deploying', 'save', 'work backup', 'status failed', 'save'],
      'could not back up the running configuration: disk full',
    ],
    [
      'when the teardown fails, with the configuration restored',
      idle(),
      REMOVAL,
      [BACKED_UP, failed('charon is not running'), WORKED],
      ['status deploying', 'save', 'work backup', 'work teardownAll', 'work restore', 'status failed', 'save'],
      'teardown failed: charon is not running; restored the previous configuration',
    ],
    [
      'when the teardown fails and restoring too',
      idle(),
      REMOVAL,
      [BACKED_UP, failed('charon is not running'), failed('disk full')],
      ['status deploying', 'save', 'work backup', 'work teardownAll', 'work restore', 'status failed', 'save'],
      'teardown failed: charon is not running; restoring the previous configuration failed too (disk full)',
    ],
  ])('fails a package %s, saying why', (_name, state, input, answers, did, reason) => {
    const run = drive(state, { kind: 'receive', pkg: input }, answers);
    expect(run.did).toEqual(did);
    expect(run.done).toMatchObject({ to: 'receive', outcome: { result: 'failed', reason, status: { state: 'failed', topologyId: input.topologyId, reason } } });
    expect(run.state.latest?.topologyId).toBe(input.topologyId);
  });

  it('rolls back what is owed first, then deploys', () => {
    const { did, done, state } = drive(idle({ trial: trial({ phase: 'applying' }) }), { kind: 'receive', pkg: pkg() }, [OPENED, WORKED, BACKED_UP, WORKED]);
    expect(did).toEqual([
      'work open',
      'disarm',
      'work restore',
      'status failed',
      'save',
      'status deploying',
      'save',
      'work backup',
      'disarm',
      'save',
      'work apply',
      'status awaiting-confirm',
      'save',
      `arm ${DEADLINE}`,
    ]);
    expect(done).toMatchObject({ outcome: { result: 'awaiting-confirm' } });
    expect(state.trial?.revertTo).toEqual(BEFORE);
  });

  it('tears everything down when the node itself is removed, at once', () => {
    const { did, done, state } = drive(idle({ running: ref('t1'), confirmed: 't1' }), { kind: 'receive', pkg: REMOVAL }, [BACKED_UP, WORKED]);
    expect(did).toEqual(['status deploying', 'save', 'work backup', 'work teardownAll', 'disarm', 'status removed', 'save']);
    expect(done).toEqual({ to: 'receive', outcome: { result: 'removed', status: { state: 'removed', topologyId: 't2', at: NOW } } });
    expect(state).toMatchObject({ running: undefined, confirmed: undefined, trial: undefined });
  });

  it('does not modify the state it is given', () => {
    const given = idle({ trial: trial({ phase: 'applying' }) });
    const copy = structuredClone(given);
    drive(given, { kind: 'receive', pkg: pkg() }, [OPENED, WORKED, BACKED_UP, WORKED]);
    expect(given).toEqual(copy);
  });
});

describe('deployStep: a part already in effect', () => {
  /** Topology `id` in effect, put there with the part OPENED carries (or another). */
  const inEffect = (topologyId: string, partDigest = PART_DIGEST) => ({ ...ref(topologyId), partDigest });
  const confirmedT0 = idle({ running: inEffect('t0'), confirmed: 't0' });
  const unchanged = () => drive(confirmedT0, { kind: 'receive', pkg: pkg() }, [OPENED]);

  it('takes the package without backup or apply, saying deploying first (the neighbours follow that), then awaiting the confirmation', () => {
    const { did, done, state } = unchanged();
    expect(did).toEqual(['work open', 'status deploying', 'disarm', 'status awaiting-confirm', 'save', `arm ${DEADLINE}`]);
    expect(done).toEqual({
      to: 'receive',
      outcome: { result: 'awaiting-confirm', status: { state: 'awaiting-confirm', topologyId: 't1', runningTopologyId: 't1', deadlineAt: NOW + DEADLINE, at: NOW } },
    });
    expect(state.running).toEqual({ topologyId: 't1', digest: pkg().digest, partDigest: PART_DIGEST });
    expect(state.trial).toEqual({ topologyId: 't1', phase: 'awaiting-confirm', deadlineAt: NOW + DEADLINE, revertToPackage: inEffect('t0') });
  });

  it('is deployed on its confirmation', () => {
    const run = drive({ saved: unchanged().state }, { kind: 'confirm', topologyId: 't1' });
    expect(run.did).toEqual(['disarm', 'status deployed', 'save']);
    expect(run.state).toMatchObject({ confirmed: 't1', trial: undefined, running: { topologyId: 't1', partDigest: PART_DIGEST }, status: { state: 'deployed', topologyId: 't1' } });
  });

  it('is deployed at once when its confirmation came first', () => {
    const run = drive(idle({ running: inEffect('t0'), earlyConfirms: ['t1'] }), { kind: 'receive', pkg: pkg() }, [OPENED]);
    expect(run.did).toEqual(['work open', 'status deploying', 'disarm', 'status deployed', 'save']);
    expect(run.state).toMatchObject({ confirmed: 't1', trial: undefined, running: { topologyId: 't1' } });
  });

  it('reverts at the deadline to the package in effect before, restoring nothing', () => {
    const run = drive({ saved: unchanged().state }, { kind: 'timer', topologyId: 't1' }, [], NOW + DEADLINE);
    expect(run.did).toEqual(['disarm', 'status failed', 'save']);
    expect(run.state).toMatchObject({ running: inEffect('t0'), trial: undefined, status: { state: 'failed', topologyId: 't1', runningTopologyId: 't0' } });
    expect(run.state.status.reason).toBe(`no confirm_deploy for topology t1 arrived before the deadline (${new Date(NOW + DEADLINE).toISOString()}); reverted to topology t0`);
  });

  it('brings the daemons up when a restart finds it past its deadline, having restored nothing', () => {
    const run = drive(idle(), { kind: 'start', read: { kind: 'ok', value: unchanged().state } }, [WORKED], NOW + DEADLINE);
    expect(run.did).toEqual(['disarm', 'status failed', 'save', 'work resume']);
    expect(run.done).toMatchObject({ to: 'start', outcome: { status: { state: 'failed', runningTopologyId: 't0' } } });
  });

  it('keeps the way back of an applied deploy it supersedes with the same part', () => {
    const { did, state } = drive(idle({ running: inEffect('t0'), trial: trial({ revertToPackage: ref('base') }) }), { kind: 'receive', pkg: pkg() }, [OPENED]);
    expect(did).not.toContain('work apply');
    expect(state.trial).toMatchObject({ topologyId: 't1', revertTo: T0_BACKUP, revertToPackage: ref('base') });
    const reverted = drive({ saved: state }, { kind: 'timer', topologyId: 't1' }, [WORKED], NOW + DEADLINE);
    expect(reverted.did).toEqual(['disarm', 'work restore', 'status failed', 'save']);
    expect(reverted.state.running).toEqual(ref('base'));
  });

  it.each<[string, EngineState, DeployPackage]>([
    ['its part changed', idle({ running: inEffect('t0', `hmac-sha256:${'e'.repeat(64)}`) }), pkg()],
    ['the part in effect is not known', idle({ running: ref('t0') }), pkg()],
    ['it ends a deleted tunnel', confirmedT0, pkg({ removed: { nodes: [], tunnels: [{ a: 1, b: 2 }] } })],
  ])('backs up and applies when %s', (_name, state, input) => {
    const run = drive(state, { kind: 'receive', pkg: input }, [OPENED, BACKED_UP, WORKED]);
    expect(run.did).toEqual(['work open', 'status deploying', 'save', 'work backup', 'disarm', 'save', 'work apply', 'status awaiting-confirm', 'save', `arm ${DEADLINE}`]);
    expect(run.state.trial).toMatchObject({ revertTo: BEFORE, revertToPackage: state.saved.running });
    expect(run.state.running).toMatchObject({ topologyId: 't1', partDigest: PART_DIGEST });
  });

  it('backs up the configuration in effect when a changed part supersedes one that changed nothing', () => {
    const changed: DeployEvent = { ...OPENED, resolved: { ...(OPENED as Extract<DeployEvent, { kind: 'opened' }>).resolved, digest: `hmac-sha256:${'e'.repeat(64)}` } };
    const run = drive({ saved: unchanged().state }, { kind: 'receive', pkg: pkg({ topologyId: 't2' }) }, [changed, BACKED_UP, WORKED]);
    expect(run.did).toContain('work backup');
    expect(run.state.trial).toMatchObject({ topologyId: 't2', revertTo: BEFORE, revertToPackage: inEffect('t0') });
  });

  it.each<[string, EngineState, DeployEvent, DeployEvent[]]>([
    ['the daemons did not come up at the start', idle({ running: inEffect('t0') }), { kind: 'start', read: { kind: 'ok', value: idle({ running: inEffect('t0'), trial: trial({ revertToPackage: inEffect('base') }) }).saved } }, [failed('vici is down')]],
    ['restoring after a failed teardown failed', idle({ running: inEffect('t0'), trial: trial({ revertToPackage: inEffect('base') }) }), { kind: 'receive', pkg: REMOVAL }, [BACKED_UP, failed('charon is not running'), failed('disk full')]],
  ])('forgets which part is in effect when %s, to apply the next package whatever it carries', (_name, state, event, answers) => {
    const run = drive(state, event, answers);
    expect(run.state.running).toEqual(ref('t0'));
    expect(run.state.trial?.revertToPackage).toEqual(ref('base'));
  });
});

describe('deployStep: confirmations', () => {
  const waiting = idle({ latest: { topologyId: 't1', digest: pkg().digest, createdAt: pkg().createdAt }, running: ref('t1'), trial: trial({ topologyId: 't1' }) });

  it.each<[string, EngineState, string, string[], { result: string; reason?: string }, Partial<DeployState>]>([
    ['keeps the deploy awaiting it', waiting, 't1', ['disarm', 'status deployed', 'save'], { result: 'confirmed' }, { confirmed: 't1', trial: undefined }],
    ['answers a second one', idle({ confirmed: 't1' }), 't1', [], { result: 'already-confirmed' }, { confirmed: 't1' }],
    ['ignores one for the package held that no longer waits', idle({ latest: waiting.saved.latest! }), 't1', [], { result: 'ignored', reason: 'topology t1 is not awaiting confirmation here (idle)' }, {}],
    ['ignores one for a deploy being rolled back', idle({ trial: trial({ topologyId: 't1', phase: 'rolling-back' }) }), 't1', [], { result: 'ignored' }, {}],
    ['remembers one that overtook its package', idle(), 't1', ['save'], { result: 'remembered' }, { earlyConfirms: ['t1'] }],
    ['remembers it once', idle({ earlyConfirms: ['t1'] }), 't1', [], { result: 'remembered' }, { earlyConfirms: ['t1'] }],
    ['remembers the newest eight', idle({ earlyConfirms: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }), 't1', ['save'], { result: 'remembered' }, { earlyConfirms: ['b', 'c', 'd', 'e', 'f', 'g', 'h', 't1'] }],
  ])('%s', (_name, state, topologyId, did, outcome, after) => {
    const run = drive(state, { kind: 'confirm', topologyId });
    expect(run.did).toEqual(did);
    expect(run.done).toMatchObject({ to: 'confirm', outcome });
    expect(run.state).toMatchObject(after);
  });
});

describe('deployStep: the timer', () => {
  it.each<[string, EngineState, number, DeployEvent[], string[], string | undefined]>([
    ['does nothing for a deploy no longer pending', idle({ trial: trial({ topologyId: 't2' }) }), NOW + 10, [], [], undefined],
    ['waits for the rest when it fires early', idle({ trial: trial() }), NOW + 4, [], ['arm 6'], undefined],
    [
      'reverts at the deadline',
      idle({ trial: trial({ revertToPackage: ref('base') }) }),
      NOW + 10,
      [WORKED],
      ['disarm', 'work restore', 'status failed', 'save'],
      `no confirm_deploy for topology t0 arrived before the deadline (${new Date(NOW + 10).toISOString()}); reverted to topology base`,
    ],
    [
      'tries a failed rollback again',
      idle({ trial: trial({ phase: 'rolling-back', reason: 'apply failed: boom' }) }),
      NOW,
      [WORKED],
      ['disarm', 'work restore', 'status failed', 'save'],
      'apply failed: boom; reverted to the configuration from before Raincoat',
    ],
  ])('%s', (_name, state, now, answers, did, reason) => {
    const run = drive(state, { kind: 'timer', topologyId: 't0' }, answers, now);
    expect(run.did).toEqual(did);
    expect(run.done).toEqual({ to: 'timer' });
    if (reason !== undefined) expect(run.state.status.reason).toBe(reason);
  });

  it('puts the package it went back to in effect again, by its id and digest', () => {
    const run = drive(idle({ running: ref('t0'), trial: trial({ revertToPackage: ref('base') }) }), { kind: 'timer', topologyId: 't0' }, [WORKED], NOW + 10);
    expect(run.state).toMatchObject({ running: ref('base'), status: { state: 'failed', topologyId: 't0', runningTopologyId: 'base' } });
  });
});

describe('deployStep: the start', () => {
  const corrupt = { kind: 'corrupt' as const, reason: 'not JSON', keptAs: 'state.json.corrupt-x' };
  const problem = 'the deploy state file was corrupt (not JSON); kept it as state.json.corrupt-x and started afresh';

  it.each<[string, DeployEvent & { kind: 'start' }, DeployEvent[], string[], string | undefined]>([
    ['brings the configuration up', { kind: 'start', read: { kind: 'missing' } }, [WORKED], ['work resume'], undefined],
    ['reports a corrupt state file and starts afresh', { kind: 'start', read: corrupt }, [WORKED], ['status failed', 'save', 'work resume'], problem],
    ['arms the deadline of a deploy still waiting', { kind: 'start', read: { kind: 'ok', value: idle({ trial: trial() }).saved } }, [WORKED], ['arm 10', 'work resume'], undefined],
    [
      'rolls back a deploy past its deadline, which brings the daemons up',
      { kind: 'start', read: { kind: 'ok', value: idle({ trial: trial({ deadlineAt: NOW }) }).saved } },
      [WORKED],
      ['disarm', 'work restore', 'status failed', 'save'],
      `no confirm_deploy for topology t0 arrived before the deadline (${new Date(NOW).toISOString()}); reverted to the configuration from before Raincoat`,
    ],
    [
      'rolls back an apply the agent did not live to finish',
      { kind: 'start', read: { kind: 'ok', value: idle({ trial: trial({ phase: 'applying', deadlineAt: NOW + DEADLINE }) }).saved } },
      [WORKED],
      ['disarm', 'work restore', 'status failed', 'save'],
      'the agent stopped while applying topology t0; reverted to the configuration from before Raincoat',
    ],
    [
      'fails a deploy the agent stopped in',
      { kind: 'start', read: { kind: 'ok', value: idle({ status: { state: 'deploying', topologyId: 't1', at: NOW - 5 } }).saved } },
      [WORKED],
      ['status failed', 'save', 'work resume'],
      'the agent stopped while deploying',
    ],
    [
      'reports the configuration it cannot bring up',
      { kind: 'start', read: { kind: 'ok', value: idle({ running: ref('t1') }).saved } },
      [failed('vici is down')],
      ['work resume', 'status failed', 'save'],
      'could not bring the configuration up after the agent started: vici is down',
    ],
  ])('%s', (_name, event, answers, did, reason) => {
    const run = drive(idle(), event, answers);
    expect(run.did).toEqual(did);
    expect(run.done.to).toBe('start');
    expect(reasonOf(run.done)).toBe(reason);
  });

  it('says what the state file held was corrupt, also after a rollback', () => {
    const { done } = drive(idle(), { kind: 'start', read: { kind: 'corrupt', reason: 'x', keptAs: 'y' } }, [WORKED]);
    expect(done).toMatchObject({ to: 'start', outcome: { problem: 'the deploy state file was corrupt (x); kept it as y and started afresh' } });
    const resumed = drive(idle(), { kind: 'start', read: { kind: 'ok', value: idle({ running: ref('t1') }).saved } }, [failed('down')]);
    expect(resumed.done).toMatchObject({ outcome: { status: { state: 'failed', topologyId: 't1', runningTopologyId: 't1' } } });
    expect(resumed.done.to === 'start' && 'problem' in resumed.done.outcome).toBe(false);
  });
});

describe('deployStep: answers out of place', () => {
  it('refuses an answer with no work under way, or of the wrong kind', () => {
    expect(() => deployStep(CONFIG, idle(), WORKED, NOW)).toThrow('deploy step: "worked" with no work under way');
    const opening = deployStep(CONFIG, idle(), { kind: 'receive', pkg: pkg() }, NOW);
    expect(() => deployStep(CONFIG, opening.state, WORKED, NOW)).toThrow('deploy step: expected "opened", got "worked"');
  });
});
