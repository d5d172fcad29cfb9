import { describe, expect, it } from 'vitest';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { PackageRef } from './deployState.ts';
import { createKeptPackages } from './keptPackages.ts';
import { packageLike } from './packageLike.testkit.ts';
import type { PackageStore } from './packageStore.ts';

const pkg = (topologyId: string): DeployPackage => packageLike({ topologyId, digest: `sha256:${topologyId.padEnd(64, '0')}` });
const T1 = pkg('t1');
const T2 = pkg('t2');
const refOf = (p: DeployPackage): PackageRef => ({ topologyId: p.topologyId, digest: p.digest });

/** Packages kept over a memory store that notes every write and removal; `engine` plays what the engine runs. */
function setup(stored: Awaited<ReturnType<PackageStore['load']>> = { packages: [], problems: [] }) {
  const disk = new Map(stored.packages.map((p) => [p.digest, p.topologyId]));
  const did: string[] = [];
  const logs: string[] = [];
  const engine: { running?: DeployPackage; revertTo?: DeployPackage } = {};
  const kept = createKeptPackages({
    store: {
      load: async () => stored,
      save: async (p) => void (did.push(`save ${p.topologyId}`), disk.set(p.digest, p.topologyId)),
      remove: async (digest) => void (did.push(`remove ${disk.get(digest) ?? digest}`), disk.delete(digest)),
    },
    inUse: () => [engine.running, engine.revertTo].filter((p) => p !== undefined).map(refOf),
    runningDigest: () => engine.running?.digest,
    log: (event, fields) => logs.push(`${event} ${String(fields.problem)}`),
  });
  const onDisk = () => [...disk.values()].sort();
  return { kept, did, logs, engine, onDisk };
}

describe('createKeptPackages', () => {
  it('starts with the packages stored, and says what the store could not load', async () => {
    const t = setup({ packages: [T1, T2], problems: ['the stored deploy package x.json was corrupt (y); kept it as z'] });
    await t.kept.start();
    expect(t.logs).toEqual(['deploy_store_problem the stored deploy package x.json was corrupt (y); kept it as z']);
    expect(t.kept.current()).toBeUndefined();
    t.engine.running = T2;
    expect(t.kept.current()).toBe(T2);
    expect(t.kept.find(T1.digest)).toBe(T1);
  });

  it('stores a package before the engine takes it, and keeps on disk only what the engine runs or may run again', async () => {
    const t = setup();
    await t.kept.hold(T1);
    expect(t.onDisk()).toEqual(['t1']);
    t.engine.running = T1;
    t.kept.release(T1, true);
    expect(t.kept.current()).toBe(T1);

    await t.kept.hold(T2);
    t.engine.running = T2;
    t.engine.revertTo = T1;
    t.kept.release(T2, true);
    await t.kept.settled();
    expect(t.onDisk()).toEqual(['t1', 't2']);

    // The deadline passed: the engine went back to t1.
    t.engine.running = T1;
    t.engine.revertTo = undefined;
    t.kept.tidy();
    await t.kept.settled();
    expect(t.onDisk()).toEqual(['t1']);
    expect(t.kept.current()).toBe(T1);
    // Still served to the neighbours that fetch it from here, as the newest taken.
    expect(t.kept.find(T2.digest)).toBe(T2);
  });

  it('never makes a package that failed the current one, nor keeps it on disk', async () => {
    const t = setup();
    await t.kept.hold(T1);
    t.engine.running = T1;
    t.kept.release(T1, true);
    await t.kept.hold(T2);
    t.kept.release(T2, true);
    await t.kept.settled();
    expect(t.kept.current()).toBe(T1);
    expect(t.onDisk()).toEqual(['t1']);
    expect(t.kept.find(T2.digest)).toBe(T2);
    expect(t.did).toEqual(['save t1', 'save t2', 'remove t2']);
  });

  it('forgets a package held and not taken, and keeps one held twice until both are done with it', async () => {
    const t = setup();
    await t.kept.hold(T1);
    await t.kept.hold(T1);
    t.kept.release(T1, false);
    expect(t.kept.find(T1.digest)).toBe(T1);
    t.kept.release(T1, false);
    await t.kept.settled();
    expect(t.kept.find(T1.digest)).toBeUndefined();
    expect(t.onDisk()).toEqual([]);
  });

  it('writes a package again after its removal, in that order', async () => {
    const t = setup();
    await t.kept.hold(T1);
    t.kept.release(T1, false);
    await t.kept.hold(T1);
    await t.kept.settled();
    expect(t.did).toEqual(['save t1', 'remove t1', 'save t1']);
    expect(t.onDisk()).toEqual(['t1']);
  });
});
