// Closes a lab whose charons start tunnels: those initiators stop first, alone, then the rest of the lab goes.
import type { Lab } from './lab.ts';
import type { Charon } from './strongswan.ts';

/**
 * A charon that gets its peer's DELETE while shutting down restarts the tunnel (close_action = start) and then ignores
 * SIGTERM for seconds (strongSwan 5.9.8, kernel-libipsec); stopping the initiators before their peers avoids it.
 * Empties `initiators`; closes the lab even when stopping one fails.
 */
export async function closeInitiatorsFirst(lab: Lab | undefined, initiators: Charon[]): Promise<void> {
  try {
    for (const charon of initiators.splice(0)) await charon.stop();
  } finally {
    await lab?.close();
  }
}
