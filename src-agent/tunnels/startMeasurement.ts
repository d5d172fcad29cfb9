// This node's measurement started: read through its backend on a timer of its own, the last reading kept for heartbeats.
import type { AgentLog } from '../agentLog.ts';
import type { BackendConfig } from '../backends/createBackend.ts';
import { createCommandRunner, type CommandRunner } from '../backends/commandRunner.ts';
import type { Clock } from '../clock.ts';
import { nodeMeasure, type NodeMeasurement, type ProbeAddresses } from './nodeMeasurement.ts';
import { createPeriodicReading } from './periodicReading.ts';

/** Between two readings: a tunnel that goes down is in the next heartbeat within this plus the heartbeat's minimum gap. */
export const MEASURE_INTERVAL_MS = 1_000;

export interface MeasurementOptions {
  backend: BackendConfig;
  selfRootId: number | undefined;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** Told of a reading that differs from the last (a tunnel's state, a client count): worth a heartbeat now. */
  onChange: (reading: NodeMeasurement) => void;
  log: AgentLog;
  runner?: CommandRunner;
  intervalMs?: number;
  /** The roots' own overlay addresses, for a root to probe its tunnels through (see tunnelProbe.ts). */
  probeAddresses?: ProbeAddresses;
}

export interface Measurement {
  start(): void;
  stop(): void;
  /** What the last reading told; empty before the first and on a node that measures nothing. */
  latest(): NodeMeasurement;
}

export function startMeasurement(options: MeasurementOptions): Measurement {
  const measure = nodeMeasure(options.backend, options.selfRootId, options.runner ?? createCommandRunner(options.clock), undefined, options.probeAddresses);
  if (measure === undefined) return { start: () => undefined, stop: () => undefined, latest: () => ({}) };
  const reading = createPeriodicReading({
    read: measure,
    clock: options.clock,
    intervalMs: options.intervalMs ?? MEASURE_INTERVAL_MS,
    same: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    onChange: options.onChange,
    onError: (error) => options.log('measure_failed', { error: String(error) }),
  });
  return { start: reading.start, stop: reading.stop, latest: () => reading.latest() ?? {} };
}
