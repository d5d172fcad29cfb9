// `raincoat rotate-psk A B`: marks tunnel A–B's pre-shared key for rotation in the overlay's kept keys; the next
// `raincoat deploy` shows the new key in its plan and carries it to the tunnel's two roots. Nothing is sent from here.
import { parseRootRef } from '../../core/keyHygiene/rotatePsk.ts';
import { rotateTunnelPsk } from '../../core/keyHygiene/rotateTunnelPsk.ts';
import { loadOverlay } from '../../core/overlayAccess/loadOverlay.ts';
import { appStateDir, overlayStateDir } from '../../core/deployRun/overlayState.ts';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';

export interface RotatePskDeps {
  env: NodeJS.ProcessEnv;
  now: () => number;
}

const USAGE = `Usage: raincoat rotate-psk A B [--access FILE] [--state DIR]

Rotates the pre-shared key of the tunnel between roots A and B (each a root id, 2, or a root name, root-2): the
overlay's kept keys drop the tunnel's key, so the next "raincoat deploy" makes a new one, lists it under the keys to
make, and re-applies on the two roots only (their changed files shown with the key as [secret]). The tunnel must be
in the topology last deployed from this state folder. Nothing is sent to the overlay until that deploy.
Options:
  --access FILE    the overlay's access file, which names the overlay (default: the running sandbox's)
  --state DIR      the application's state folder that deploy uses (default $XDG_STATE_HOME/raincoat, else
                   ~/.local/state/raincoat)
Exit 0 when the key is marked (or already was); 1 when the tunnel is not deployed or the overlay's state cannot be
read; 2 for a usage problem or an access file that cannot be found.`;

export function createRotatePskCommand(deps: RotatePskDeps): Command {
  const command: Command = {
    name: 'rotate-psk',
    summary: "rotate a tunnel's pre-shared key at the next deploy",
    usage: USAGE,
    run: (args, io) => rotatePsk(command, deps, args, io),
  };
  return command;
}

async function rotatePsk(command: Command, deps: RotatePskDeps, args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(command, args, { access: { type: 'string' }, state: { type: 'string' } }, { atMost: 2 }, io);
  if (typeof parsed === 'number') return parsed;
  const say = (message: string) => io.err(`raincoat rotate-psk: ${message}`);
  if (parsed.positionals.length !== 2) return (say(`expected two roots, A and B, got ${parsed.positionals.length}\n\n${USAGE}`), EXIT.usage);
  const ends = parsed.positionals.map((text) => ({ text, id: parseRootRef(text) }));
  const wrong = ends.find((end) => end.id === undefined);
  if (wrong) return (say(`${JSON.stringify(wrong.text)} is not a root: expected a root id (2) or a root name (root-2)`), EXIT.usage);
  const [a, b] = ends.map((end) => end.id!) as [number, number];

  const { access: accessFile, state } = parsed.values;
  const overlay = await loadOverlay({ ...(typeof accessFile === 'string' ? { accessFile } : {}), env: deps.env });
  if (!overlay.ok) return (say(overlay.message), EXIT.usage);
  const stateDir = overlayStateDir(typeof state === 'string' ? state : appStateDir(deps.env), overlay.access);
  const rotated = await rotateTunnelPsk(stateDir, a, b, deps.now);
  if (!rotated.ok) return (say(`${overlay.access.name}: ${rotated.reason}`), EXIT.invalid);
  const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
  const { tunnel, alreadyMarked } = rotated.result;
  io.out(
    `${tunnel}: its pre-shared key ${alreadyMarked ? 'was already marked for rotation' : 'is marked for rotation'}; ` +
      `the next "raincoat deploy" makes a new one and carries it to root-${lo} and root-${hi} only`,
  );
  return EXIT.ok;
}

export const rotatePskCommand = createRotatePskCommand({ env: process.env, now: Date.now });
