// `revoke` on the overlay's state folder: the kept keys with the certificates revoked, for the next deploy to carry.
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { editKeptKeys } from './editKeptKeys.ts';
import type { Edited } from './editKeptKeys.ts';
import { revokeInKeys } from './revokeCertificate.ts';
import type { Revocable } from './revokeCertificate.ts';

export type RevokeResult = Edited<{ rootId: number; revoked: number }>;

/** `stateDir` is the overlay's folder in the application's state (overlayStateDir). */
export function revokeInState(stateDir: string, what: Revocable, now: () => number = Date.now): Promise<RevokeResult> {
  return editKeptKeys(
    stateDir,
    (keys, deployed) => {
      const leaves = planAddresses(deployed.topology).roots.flatMap((root) => root.leaves.map((leaf) => leaf.nodeName));
      const outcome = revokeInKeys(keys, leaves, what, new Date(now()));
      if (!outcome.ok) return outcome;
      return { ok: true, keys: outcome.keys, changed: outcome.revoked > 0, result: { rootId: outcome.rootId, revoked: outcome.revoked } };
    },
    now,
  );
}
