// `rotate-psk` on the overlay's state folder: the kept keys without the tunnel's pre-shared key, so that the next deploy
// makes and carries a new one.
import { editKeptKeys } from './editKeptKeys.ts';
import type { Edited, KeptKeysAt } from './editKeptKeys.ts';
import { markPskForRotation } from './rotatePsk.ts';

export type RotateResult = Edited<{ tunnel: string; alreadyMarked: boolean }>;

export function rotateTunnelPsk(at: KeptKeysAt, a: number, b: number, now: () => number = Date.now): Promise<RotateResult> {
  return editKeptKeys(
    at,
    (keys, deployed) => {
      const rotation = markPskForRotation(keys, deployed.topology.tunnels, a, b);
      if (!rotation.ok) return rotation;
      return { ok: true, keys: rotation.keys, changed: !rotation.alreadyMarked, result: { tunnel: rotation.tunnel, alreadyMarked: rotation.alreadyMarked } };
    },
    now,
  );
}
