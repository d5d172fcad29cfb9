// An overlay deployed for key hygiene tests: three roots in a chain with a leaf each, dry-run backend, deployed in memory
// (fake entry root, real keys, sealed under the test passphrase) into a state folder, as `raincoat deploy` would have left it.
import path from 'node:path';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { fakeAccess, fakeOverlay, steppingClock } from '../deployRun/fakeOverlay.testkit.ts';
import type { DeployPlan } from '../deployRun/deployPlan.ts';
import { runDeploy } from '../deployRun/runDeploy.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import type { DeployEvent } from '../deployRun/runDeploy.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { testUnlocker } from '../secrets/unlocker.testkit.ts';
import type { KeptKeysAt } from './editKeptKeys.ts';

export const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1', 'root-3', 'leaf-3-1'];
export const access = fakeAccess(Object.fromEntries(NODES.map((n) => [n, 'dry-run'])));
export const CHAIN = { roots: [1, 2, 3].map((id) => makeRoot(id, { maxClients: 50 })), tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };

/** Deploys CHAIN into `stateDir` (every node applies); its plan. */
export async function deployChain(stateDir: string): Promise<DeployPlan> {
  const clock = steppingClock();
  const events: DeployEvent[] = [];
  await runDeploy({ access, entry: fakeOverlay(NODES, clock).entry, topology: CHAIN, stateDir, secrets: testUnlocker(), clock, approve: async () => true, onEvent: (e) => events.push(e), followMs: 30_000 });
  return events.find((e): e is Extract<DeployEvent, { kind: 'plan' }> => e.kind === 'plan')!.plan;
}

/** The kept keys of `stateDir` and what opens them with the test passphrase, as a key hygiene action is given them. */
export const keptAt = (stateDir: string): KeptKeysAt => ({ stateDir, secrets: testUnlocker() });

/** The keys kept in `stateDir`, opened with the test passphrase. */
export async function keptKeys(stateDir: string): Promise<OverlayKeys> {
  return (await keptOverlayKeys(path.join(stateDir, KEYS_FILE), testUnlocker()).open())!;
}
