// `raincoat audit` against real agents (two roots with a leaf each, dry-run backend), as a user runs it: after a login
// refused for a wrong password, a deploy and the sessions the commands opened, the trail lists each login with where
// it came from, the refused one, the deploy with its plan and every node's outcome, and each logout.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { AuditAnswer } from '../../src-shared/protocol/audit.ts';
import { runRaincoat } from '../../src-main/cli/runRaincoat.testkit.ts';
import { PASSPHRASE, PASSWORD, startDeployCluster } from './deployCluster.testkit.ts';
import type { DeployCluster } from './deployCluster.testkit.ts';

const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1'];
const TOPOLOGY = {
  roots: [1, 2].map((id) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 })),
  tunnels: [{ a: 1, b: 2 }],
};
const WRONG_PASSWORD = 'not the password at all';

let overlay: DeployCluster;
const access = () => ['--access', overlay.at('access.json')];

beforeAll(async () => {
  overlay = await startDeployCluster(
    new Map([
      ['root-1', ['root-2', 'leaf-1-1']],
      ['root-2', ['root-1', 'leaf-2-1']],
      ['leaf-1-1', ['root-1']],
      ['leaf-2-1', ['root-2']],
    ]),
  );
  writeFileSync(overlay.at('pair.json'), JSON.stringify(TOPOLOGY));
}, 60_000);

/** `raincoat status` in this process with a wrong password in its environment, restored after. */
async function statusWithWrongPassword() {
  const saved = { password: process.env.RAINCOAT_PASSWORD, sandbox: process.env.RAINCOAT_SANDBOX_DIR };
  process.env.RAINCOAT_PASSWORD = WRONG_PASSWORD;
  process.env.RAINCOAT_SANDBOX_DIR = overlay.at('no-sandbox');
  try {
    return await runRaincoat('status', ...access());
  } finally {
    for (const [name, value] of [['RAINCOAT_PASSWORD', saved.password], ['RAINCOAT_SANDBOX_DIR', saved.sandbox]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('raincoat audit against real agents', () => {
  let trail: AuditAnswer;
  let topologyId: string;

  beforeAll(async () => {
    expect(await statusWithWrongPassword()).toMatchObject({ code: 1, out: '', err: expect.stringContaining('wrong user name or password') });
    const deployed = await overlay.raincoat('deploy', overlay.at('pair.json'), ...access(), '--state', overlay.at('state'), '--yes', '--timeout', '30');
    expect(deployed.code, deployed.out + deployed.err).toBe(0);
    topologyId = /^plan for topology (\S+):/m.exec(deployed.out)![1]!;
    const read = await overlay.raincoat('audit', ...access(), '--json');
    expect(read.code, read.err).toBe(0);
    trail = JSON.parse(read.out) as AuditAnswer;
  }, 120_000);

  it('lists the logins with where they came from, the refused one, the deploy and the logouts, in order', () => {
    expect(trail.node).toBe('root-1');
    // Every entry is root-1's and the administrator's, from 127.0.0.1 but the lock's, which root-1 itself records.
    expect(trail.entries.every((e) => e.root === 1 && e.user === 'administrator')).toBe(true);
    expect(trail.entries.map((e) => [e.event.kind, e.address ?? '-'])).toEqual(
      [
        // The first login, which set the password (the cluster's start).
        ...['login', 'lock-held', 'logout'],
        // raincoat status with a wrong password.
        'login-refused',
        // raincoat deploy.
        ...['login', 'lock-held', 'deploy-posted', 'deploy-confirmed', 'deploy-plan', 'deploy-outcome', 'logout'],
        // raincoat audit's own session, so far.
        ...['login', 'lock-held'],
      ].map((kind) => [kind, kind === 'lock-held' ? '-' : '127.0.0.1']),
    );
    expect(trail.omitted).toBe(0);
  });

  it('says why the login was refused, and keeps no password', () => {
    // Logins turned away unchecked (root-1 had not heard root-2 yet as the cluster started) are only counted, here.
    expect(trail.entries.find((e) => e.event.kind === 'login-refused')?.event).toEqual({ kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused: expect.any(Number) });
    const text = JSON.stringify(trail);
    for (const secret of [PASSWORD, WRONG_PASSWORD, PASSPHRASE]) expect(text).not.toContain(secret);
  });

  it('records the deploy: its plan, and every node’s outcome', () => {
    const event = (kind: string) => trail.entries.find((e) => e.event.kind === kind)?.event;
    expect(event('deploy-posted')).toMatchObject({ topologyId, nodes: 4 });
    expect(event('deploy-confirmed')).toEqual({ kind: 'deploy-confirmed', topologyId });
    expect(event('deploy-plan')).toMatchObject({ topologyId, counts: { added: 4, changed: 0, unchanged: 0, removed: 0 }, added: NODES, part: { index: 1, of: 1 } });
    expect(event('deploy-outcome')).toEqual({
      kind: 'deploy-outcome',
      topologyId,
      result: 'followed',
      counts: { applied: 4, failed: 0, unreachable: 0 },
      confirmed: true,
      applied: NODES,
      problems: [],
      part: { index: 1, of: 1 },
    });
  });

  it('prints the same as a table, the newest entries within --limit, from --since', async () => {
    const since = new Date(trail.entries.find((e) => e.event.kind === 'deploy-posted')!.at).toISOString();
    const { code, out, err } = await overlay.raincoat('audit', ...access(), '--since', since, '--limit', '3');
    expect(code, err).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^the audit trail as root-1 keeps it \(\d+ older entries left out: --limit\):$/);
    expect(lines[1]).toMatch(/^time\s+root\s+administrator\s+from\s+what$/);
    // The previous audit's logout, then this one's login and lock.
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(/^\S+Z {2}root-1 {2}administrator {2}127\.0\.0\.1 {2}logged out$/),
      expect.stringMatching(/^\S+Z {2}root-1 {2}administrator {2}127\.0\.0\.1 {2}logged in; the administrator lock asked of every live root$/),
      expect.stringMatching(/^\S+Z {2}root-1 {2}administrator {2}- {10}holds the administrator lock: every live root acknowledged$/),
    ]);
  });
});
