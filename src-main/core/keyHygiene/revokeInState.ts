// `revoke` on the overlay's state folder: the kept keys with the certificates revoked, for the next deploy to carry.
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { editKeptKeys } from './editKeptKeys.ts';
import type { Edited, KeptKeysAt } from './editKeptKeys.ts';
import { revokeInKeys } from './revokeCertificate.ts';
import type { Revocable } from './revokeCertificate.ts';

export type RevokeResult = Edited<{ rootId: number; revoked: number }>;

export function revokeInState(at: KeptKeysAt, what: Revocable, now: () => number = Date.now): Promise<RevokeResult> {
  return editKeptKeys(
    at,
    (keys, deployed) => {
      const leaves = planAddresses(deployed.topology).roots.flatMap((root) => root.leaves.map((leaf) => leaf.nodeName));
      const outcome = revokeInKeys(keys, leaves, what, new Date(now()));
      if (!outcome.ok) return outcome;
      return { ok: true, keys: outcome.keys, changed: outcome.revoked > 0, result: { rootId: outcome.rootId, revoked: outcome.revoked } };
    },
    now,
  );
}
