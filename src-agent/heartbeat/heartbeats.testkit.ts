// Heartbeat messages for tests: alive in topology t1, beating every five seconds, unless told otherwise.
import type { FloodMessageOf, HeartbeatBody } from '../../src-shared/protocol/messages.ts';

export const INTERVAL = 5_000;

export function beat(origin: string, ts: number, body: Partial<HeartbeatBody> = {}): FloodMessageOf<'heartbeat'> {
  return {
    id: `${origin}.1`,
    origin,
    type: 'heartbeat',
    ts,
    sig: 'A'.repeat(86),
    body: { state: 'alive', topologyId: 't1', intervalMs: INTERVAL, ...body } as HeartbeatBody,
  };
}
