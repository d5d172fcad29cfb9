import { describe, expect, it } from 'vitest';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { createKeptPackage } from './keptPackage.ts';
import { packageLike } from './packageLike.testkit.ts';
import type { PackageStore } from './packageStore.ts';

const at = (topologyId: string, createdAt: string) => packageLike({ topologyId, createdAt });

function setup(stored: Awaited<ReturnType<PackageStore['load']>> = {}) {
  const saved: string[] = [];
  const told: string[] = [];
  const logs: string[] = [];
  const kept = createKeptPackage({
    store: { load: async () => stored, save: async (pkg) => void saved.push(pkg.topologyId) },
    log: (event, fields) => logs.push(`${event} ${String(fields.problem)}`),
    onKept: (pkg) => told.push(pkg.topologyId),
  });
  return { kept, saved, told, logs };
}

describe('createKeptPackage', () => {
  it.each<[string, DeployPackage[], string[]]>([
    ['keeps the first package', [at('t1', '2026-01-02T03:00:00.000Z')], ['t1']],
    ['keeps a newer one in its place', [at('t1', '2026-01-02T03:00:00.000Z'), at('t2', '2026-01-02T03:00:01.000Z')], ['t1', 't2']],
    ['keeps one made at the same time in its place', [at('t1', '2026-01-02T03:00:00.000Z'), at('t2', '2026-01-02T03:00:00.000Z')], ['t1', 't2']],
    ['does not keep an older one', [at('t2', '2026-01-02T03:00:01.000Z'), at('t1', '2026-01-02T03:00:00.000Z')], ['t2']],
  ])('%s, stores it and tells', async (_name, packages, keptIds) => {
    const t = setup();
    for (const pkg of packages) await t.kept.keep(pkg);
    expect(t.saved).toEqual(keptIds);
    expect(t.told).toEqual(keptIds);
    expect(t.kept.current()?.topologyId).toBe(keptIds.at(-1));
  });

  it('starts with the stored package, or says why the store had none', async () => {
    const stored = setup({ package: at('t1', '2026-01-02T03:00:00.000Z') });
    await stored.kept.start();
    expect(stored.kept.current()?.topologyId).toBe('t1');
    expect(stored.told).toEqual([]);
    const corrupt = setup({ problem: 'the stored deploy package was corrupt (x); kept it as y' });
    await corrupt.kept.start();
    expect(corrupt.kept.current()).toBeUndefined();
    expect(corrupt.logs).toEqual(['deploy_store_problem the stored deploy package was corrupt (x); kept it as y']);
  });
});
