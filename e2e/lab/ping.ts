// Pings from inside a namespace: once, or again and again until a reply or a deadline.
import { binary, inNamespace, run } from './run.ts';

export interface PingOptions {
  /** Source address or interface (`ping -I`). */
  source?: string;
  /** Give up after this long (default 5 s for `ping`, 1 s for `canPing`). */
  deadlineMs?: number;
}

export interface PingResult {
  /** Attempts made, the successful one included. */
  attempts: number;
  /** From the first attempt to the reply. */
  elapsedMs: number;
  /** Round-trip time ping reported. */
  rttMs: number;
}

const RETRY_PAUSE_MS = 20;

async function pingOnce(ns: string, dst: string, source: string | undefined, waitMs: number): Promise<{ ok: boolean; rttMs: number; output: string }> {
  const argv = [binary('ping'), '-n', '-c1', `-W${(waitMs / 1000).toFixed(2)}`, ...(source === undefined ? [] : ['-I', source]), dst];
  const r = await run(inNamespace(ns, argv), { allowFailure: true });
  const rtt = /time=([\d.]+) ms/.exec(r.stdout);
  return { ok: r.code === 0, rttMs: rtt?.[1] === undefined ? NaN : Number(rtt[1]), output: (r.stdout + r.stderr).trim() };
}

/** Pings `dst` from namespace `ns` (`ping -c1 -W1`, again until the deadline); throws with ping's last words if no reply came. */
export async function pingFrom(ns: string, dst: string, options: PingOptions = {}): Promise<PingResult> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 5_000);
  let attempts = 0;
  for (;;) {
    attempts++;
    // -W1 as asked, but never past the deadline (iputils takes fractions of a second).
    const r = await pingOnce(ns, dst, options.source, Math.max(50, Math.min(1_000, deadline - Date.now())));
    if (r.ok) return { attempts, elapsedMs: Date.now() - started, rttMs: r.rttMs };
    if (Date.now() + RETRY_PAUSE_MS >= deadline) {
      throw new Error(`lab: no ping reply from ${dst} in ${ns} after ${attempts} attempts in ${Date.now() - started} ms:\n${r.output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
}

/** Whether `dst` answers a ping from `ns` before the deadline (default 1 s); for checks that traffic does NOT pass, too. */
export async function canPingFrom(ns: string, dst: string, options: PingOptions = {}): Promise<boolean> {
  try {
    await pingFrom(ns, dst, { deadlineMs: 1_000, ...options });
    return true;
  } catch {
    return false;
  }
}
