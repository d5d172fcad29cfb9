import { describe, expect, it } from 'vitest';
import { BackendConfigSchema } from '../backends/createBackend.ts';
import { fakeRunner } from '../backends/fakes.testkit.ts';
import { createManualClock } from '../clock.ts';
import type { NodeMeasurement } from './nodeMeasurement.ts';
import { LIST_CONNS, LIST_SAS } from './recorded.testkit.ts';
import { startMeasurement } from './startMeasurement.ts';

const LINUX = BackendConfigSchema.parse({ kind: 'linux', root: '/etc/raincoat' });

describe('startMeasurement', () => {
  it('reads on its own timer, keeps the last reading, and tells each change', async () => {
    const clock = createManualClock();
    let sas = LIST_SAS;
    const runner = fakeRunner(({ args }) => ({ stdout: args.includes('--list-conns') ? LIST_CONNS : sas }));
    const changes: NodeMeasurement[] = [];
    const measurement = startMeasurement({ backend: LINUX, selfRootId: 1, clock, onChange: (m) => changes.push(m), log: () => undefined, runner: runner.run, intervalMs: 2_000 });
    expect(measurement.latest()).toEqual({});
    measurement.start();
    await clock.advanceAsync(0);
    expect(measurement.latest()).toEqual({ tunnels: [{ peer: 2, state: 'up' }] });
    await clock.advanceAsync(2_000);
    sas = 'list-sas reply {\n}\n';
    await clock.advanceAsync(2_000);
    expect(measurement.latest()).toEqual({ tunnels: [{ peer: 2, state: 'down' }] });
    expect(changes).toEqual([{ tunnels: [{ peer: 2, state: 'up' }] }, { tunnels: [{ peer: 2, state: 'down' }] }]);
    measurement.stop();
    expect(clock.pending()).toBe(0);
  });

  it('measures nothing on a dry-run node, and runs no timer for it', () => {
    const clock = createManualClock();
    const runner = fakeRunner();
    const measurement = startMeasurement({ backend: BackendConfigSchema.parse({ kind: 'dry-run', dir: '/d' }), selfRootId: 1, clock, onChange: () => undefined, log: () => undefined, runner: runner.run });
    measurement.start();
    expect(measurement.latest()).toEqual({});
    expect(clock.pending()).toBe(0);
    expect(runner.calls).toEqual([]);
  });
});
