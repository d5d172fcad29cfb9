// `raincoat rotate-psk A B`: marks tunnel A–B's pre-shared key for rotation in the overlay's kept keys; the next
// `raincoat deploy` shows the new key in its plan and carries it to the tunnel's two roots. Only the overlay's audit trail
// hears of it now, in a session of the command's own.
import { parseRootRef } from '../../core/keyHygiene/rotatePsk.ts';
import { rotateTunnelPsk } from '../../core/keyHygiene/rotateTunnelPsk.ts';
import type { Command } from './command.ts';
import { KEPT_KEYS_USAGE, keptKeysCommand, processKeptKeysDeps } from './keptKeysCommand.ts';
import type { KeptKeysDeps } from './keptKeysCommand.ts';

const USAGE = `Usage: raincoat rotate-psk A B [--access FILE] [--user USER] [--state DIR]

Rotates the pre-shared key of the tunnel between roots A and B (each a root id, 2, or a root name, root-2): the
overlay's kept keys drop the tunnel's key, so the next "raincoat deploy" makes a new one, lists it under the keys to
make, and re-applies on the two roots only (their changed files shown with the key as [secret]). The tunnel must be
in the topology last deployed from this state folder. Nothing reaches the nodes until that deploy; the rotation is
recorded at once in the overlay's audit trail, in a session at the entry root (logged in and out as status does).
Options:
${KEPT_KEYS_USAGE}
Exit 0 when the key is marked (or already was) and recorded; 1 when the tunnel is not deployed, the overlay's state
cannot be read, the login is refused or the audit trail does not take the record; 2 for a usage problem, or an access
file or a password that cannot be found.`;

export function createRotatePskCommand(deps: KeptKeysDeps): Command {
  return keptKeysCommand(
    {
      name: 'rotate-psk',
      summary: "rotate a tunnel's pre-shared key at the next deploy",
      usage: USAGE,
      arguments: 2,
      target(args) {
        if (args.length !== 2) return { ok: false, message: `expected two roots, A and B, got ${args.length}` };
        const wrong = args.find((text) => parseRootRef(text) === undefined);
        if (wrong !== undefined) return { ok: false, message: `${JSON.stringify(wrong)} is not a root: expected a root id (2) or a root name (root-2)` };
        const [a, b] = args.map((text) => parseRootRef(text)!);
        return { ok: true, target: { lo: Math.min(a!, b!), hi: Math.max(a!, b!) } };
      },
      edit: (at, { lo, hi }, now) => rotateTunnelPsk(at, lo, hi, now),
      done: ({ tunnel, alreadyMarked }, { lo, hi }) =>
        `${tunnel}: its pre-shared key ${alreadyMarked ? 'was already marked for rotation' : 'is marked for rotation'}; ` +
        `the next "raincoat deploy" makes a new one and carries it to root-${lo} and root-${hi} only`,
      audit: ({ tunnel, alreadyMarked }) => ({ kind: 'psk-rotated', tunnel, alreadyMarked }),
    },
    deps,
  );
}

export const rotatePskCommand = createRotatePskCommand(processKeptKeysDeps);
