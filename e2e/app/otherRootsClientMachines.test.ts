// Client machines of every deployed root, from the one session at the entry root, on the sandbox's real agents: the
// entry root grants another root a token through the overlay (the token's hash only), a VM enrolls at that root with
// the first-boot script's token and a profile is enrolled at a third; the token works at its root only, as often as it
// was made for; a root cut off from the entry root is said to be so.
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { OverlayAccessSchema } from '../../src-shared/overlay/overlayAccess.ts';
import type { OverlayAccess } from '../../src-shared/overlay/overlayAccess.ts';
import { SANDBOX_FILES } from '../../src-shared/sandbox/sandboxControl.ts';
import { nodeClient } from '../../src-main/core/overlayAccess/nodeClient.ts';
import { buildApp } from '../ui/buildApp.ts';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { startRaincoat } from './runningApp.testkit.ts';
import type { RunningApp } from './runningApp.testkit.ts';

const NODES = 8;

let home: UserHome;
let app: RunningApp;
let access: OverlayAccess;
const sandbox = () => home.env['RAINCOAT_SANDBOX_DIR']!;

/** What a client VM does with a first-boot script's token: a CSR of its own key, sent to the root the script names. */
async function enrollAt(node: string, token: string) {
  const client = nodeClient(access, node);
  try {
    return await client.api.enroll({ token, csr: createCsr('vm', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), format: 'json' });
  } finally {
    client.close();
  }
}

const scriptValue = (script: string, name: string) => new RegExp(`^RAINCOAT_${name}='([^']*)'$`, 'm').exec(script)?.[1];
const tokensKeptAt = async (node: string) => readFile(join(sandbox(), 'nodes', node, 'enrollment-tokens.json'), 'utf8').catch(() => '');

beforeAll(async () => {
  buildApp();
  home = createUserHome();
  app = await startRaincoat(home);
  access = OverlayAccessSchema.parse(JSON.parse(await readFile(join(sandbox(), SANDBOX_FILES.access), 'utf8')));
  await app.until((s) => s.session.phase === 'in' && (s.status?.nodes.length ?? 0) === NODES, 'logged in at root-1');
  expect(await app.client.api['deploy.start']()).toEqual({ ok: true });
  const planned = (await app.until((s) => s.deploy?.phase === 'planned', 'the plan')).deploy!;
  expect(await app.client.api['deploy.approve']({ topologyId: planned.topologyId! })).toEqual({ ok: true });
  const deployed = (s: OverlayState) => s.deploy?.phase === 'done' && s.status!.nodes.every((n) => n.status === 'alive' && n.topologyId === planned.topologyId);
  await app.until(deployed, 'every node alive on the deploy', 120_000);
}, 240_000);

afterAll(async () => {
  await app?.stop('SIGKILL');
  await home?.remove();
}, 60_000);

describe("another root's client machines, from the session at the entry root", () => {
  it("gives root-2's first-boot script, whose token enrolls one VM at root-2 and nowhere else", async () => {
    const answer = await app.client.api['clients.firstBoot']({ rootId: 2, machines: 1 });
    if (!answer.ok) throw new Error(answer.reason);
    expect(answer.node).toBe('root-2');
    const url = new URL(access.nodes['root-2']!.url);
    expect([scriptValue(answer.script, 'HOST'), scriptValue(answer.script, 'PORT'), scriptValue(answer.script, 'NODE')]).toEqual([url.hostname, url.port, 'root-2']);
    const token = scriptValue(answer.script, 'TOKEN')!;
    const [id, secret] = token.replace(/^rce_/, '').split('.');

    // Root-2 keeps the token's hash; the entry root, which made it, keeps nothing of it; the secret is stored nowhere.
    expect(await tokensKeptAt('root-2')).toContain(id);
    expect(await tokensKeptAt('root-1')).not.toContain(id);
    for (const node of ['root-1', 'root-2', 'root-3']) expect(await tokensKeptAt(node)).not.toContain(secret);

    expect(await enrollAt('root-1', token)).toMatchObject({ ok: false, status: 403, reason: 'not a valid enrollment token for this root' });
    const enrolled = await enrollAt('root-2', token);
    if (!enrolled.ok || typeof enrolled.answer === 'string') throw new Error(`root-2 did not enroll the VM: ${JSON.stringify(enrolled)}`);
    expect(enrolled.answer.name).toMatch(/^client-2-[0-9a-f]{12}$/);
    expect(enrolled.answer.node).toMatch(/^leaf-2-\d+$/);
    expect(await enrollAt('root-2', token)).toMatchObject({ ok: false, status: 403, reason: 'the enrollment token has been used up' });
  });

  it("gives a client profile enrolled at root-3, with root-3's client certificate and key", async () => {
    const answer = await app.client.api['clients.profile']({ rootId: 3 });
    if (!answer.ok) throw new Error(answer.reason);
    expect(answer.name).toMatch(/^client-3-[0-9a-f]{12}$/);
    expect(answer.node).toBe('leaf-3-1');
    expect(answer.profile).toMatch(/^remote leaf-3-1 /m);
    expect(answer.profile).toContain('<cert>\n-----BEGIN CERTIFICATE-----');
    expect(answer.profile).toContain('<key>\n-----BEGIN PRIVATE KEY-----');
  });

  it('says so when the root is down, instead of giving a script that cannot work', async () => {
    const stopped = await home.raincoat('sandbox', 'stop', 'root-3');
    expect(stopped.code, stopped.err).toBe(0);
    const answer = await app.client.api['clients.firstBoot']({ rootId: 3, machines: 1 });
    expect(answer).toEqual({ ok: false, reason: 'root-1 could not grant root-3 an enrollment token: root-3 did not answer within 10 s: it is down, or cut off from root-1' });
  }, 60_000);
});
