// The root tunnel comes up whichever root applies a deploy first: real charons run what the agents' linux backends load
// (agentRoots.ts), and the roots get the same package seconds apart.
//
// Root 1, the lower id, keeps the tunnel up. Applied first, its start meets a charon that does not know the tunnel yet
// and gets NO_PROPOSAL_CHOSEN, a permanent error strongSwan never retries: the tunnel comes up only because root 2 starts
// it too as it loads it (ipsecPolicy's tunnelEndRole). Starts that cross must still leave one IKE_SA.
import { describe, expect, it } from 'vitest';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { agentRootsFixture, childSa, makePackage, pingAcross, TUNNEL, type AgentRoots, type RootName } from './agentRoots.ts';
import { skipUnlessLab, waitFor, type IkeSa } from './index.ts';
import { binary } from './run.ts';

/** Longer than strongSwan's first retransmission timeout (charon.retransmit_timeout, 4 s): an initiator that retries would have. */
const LATE_BY_MS = 6_000;
/** From root 2's apply to an installed CHILD_SA; it takes a fraction of a second. */
const UP_WITHIN_MS = 10_000;
/** strongSwan retransmits after 4, 7.2 and 13 s: the retransmission after the drop is lifted comes within this. */
const NEXT_RETRANSMISSION_WITHIN_MS = 25_000;
/** strongSwan deletes the older of two IKE_SAs with one peer 10 s after the newer one is up (unique = replace). */
const DUPLICATE_GONE_WITHIN_MS = 20_000;
/**
 * nftables for root 1: drops its IKE_SA_INIT requests to root 2 (UDP 500, responder SPI still zero: the IKE header's bytes
 * 8-15) and nothing else, so that root 1 still answers root 2's requests.
 */
const DROP_IKE_SA_INIT_REQUESTS = `table inet hold_ike_sa_init {
  chain out {
    type filter hook output priority 0; policy accept;
    ip daddr 192.0.2.2 udp dport 500 @th,128,64 0 drop
  }
}
`;

const fixture = agentRootsFixture();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The tunnel's established IKE_SAs as one root's charon lists them. */
async function tunnelSas(roots: AgentRoots, name: RootName): Promise<IkeSa[]> {
  return (await roots[name].charon.listSas()).filter((ike) => ike.name === TUNNEL && ike.state === 'ESTABLISHED');
}

async function applyOn(roots: AgentRoots, name: RootName, pkg: DeployPackage): Promise<void> {
  expect((await roots[name].engine.receive(pkg)).result).toBe('awaiting-confirm');
}

describe('the root tunnel whichever root applies first', () => {
  it('comes up when root 1, which keeps it up, applies several seconds before root 2', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn']);
    const roots = await fixture.start();
    const pkg = await makePackage(roots, fixture.keys(), 'deploy-1');

    await applyOn(roots, 'root-1', pkg);
    // Root 2's charon runs but does not know the tunnel yet, and refuses it for good.
    await roots['root-1'].charon.daemon.waitForLog('received NO_PROPOSAL_CHOSEN notify error');
    await sleep(LATE_BY_MS);
    expect(await tunnelSas(roots, 'root-1')).toEqual([]);

    const applied = performance.now();
    await applyOn(roots, 'root-2', pkg);
    await childSa(roots, { timeoutMs: UP_WITHIN_MS });
    const upMs = performance.now() - applied;
    const ping = await pingAcross(roots);
    // Root 2 started it as it loaded the tunnel, and it is the only IKE_SA.
    const [there, here] = [await tunnelSas(roots, 'root-1'), await tunnelSas(roots, 'root-2')];
    expect(there.map((ike) => ike.initiator)).toEqual([false]);
    expect(here.map((ike) => ike.initiator)).toEqual([true]);
    console.log(`tunnel load order: root 2 applied ${LATE_BY_MS} ms after root 1; CHILD_SA up ${Math.round(upMs)} ms after root 2's apply, ping after ${ping.attempts} attempt(s)`);
  });

  it('leaves one IKE_SA when root 1’s attempt, held up on the way, crosses root 2’s start', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn', 'nftables']);
    const roots = await fixture.start();
    const pkg = await makePackage(roots, fixture.keys(), 'deploy-1');
    const root1 = roots['root-1'];

    // Root 1's attempt stays under way, retransmitting, while root 2 applies and starts the tunnel itself; once the
    // drop is lifted, root 1's next retransmission finds root 2 ready too, and both attempts succeed.
    await root1.host.exec([binary('nft'), '-f', '-'], { input: DROP_IKE_SA_INIT_REQUESTS });
    await applyOn(roots, 'root-1', pkg);
    await root1.charon.daemon.waitForLog(/sending packet: from 192\.0\.2\.1\[500\] to 192\.0\.2\.2\[500\]/);
    await applyOn(roots, 'root-2', pkg);
    await childSa(roots, { timeoutMs: UP_WITHIN_MS });
    expect((await tunnelSas(roots, 'root-2')).map((ike) => ike.initiator)).toEqual([true]);
    await root1.host.exec([binary('nft'), 'delete', 'table', 'inet', 'hold_ike_sa_init']);

    await waitFor(async () => (await tunnelSas(roots, 'root-1')).length === 2, {
      timeoutMs: NEXT_RETRANSMISSION_WITHIN_MS,
      intervalMs: 100,
      what: 'root 1’s retransmission to build a second IKE_SA',
      describe: () => root1.charon.daemon.tail(),
    });
    const crossed = performance.now();
    const one = await waitFor(
      async () => {
        const [there, here] = [await tunnelSas(roots, 'root-1'), await tunnelSas(roots, 'root-2')];
        return there.length === 1 && here.length === 1 && { there, here };
      },
      { timeoutMs: DUPLICATE_GONE_WITHIN_MS, intervalMs: 200, what: 'one IKE_SA at each end', describe: () => root1.charon.daemon.tail() },
    );
    const goneMs = performance.now() - crossed;
    // The same SA at both ends, and it carries the overlay.
    expect(one.here[0]!.children.map((c) => c.spiOut)).toEqual(one.there[0]!.children.map((c) => c.spiIn));
    await pingAcross(roots);
    console.log(`tunnel load order: crossed starts built 2 IKE_SAs; ${Math.round(goneMs)} ms later one was left`);
  });
});
