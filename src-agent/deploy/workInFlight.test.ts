import { describe, expect, it } from 'vitest';
import { packageLike } from './packageLike.testkit.ts';
import { createWorkInFlight } from './workInFlight.ts';

describe('createWorkInFlight', () => {
  it('holds a package under its digest while its work runs', async () => {
    const work = createWorkInFlight();
    const pkg = packageLike();
    let finish: () => void = () => undefined;
    work.hold(pkg.digest, Promise.resolve(pkg), new Promise<void>((resolve) => (finish = resolve)));
    expect(work.has(pkg.digest)).toBe(true);
    expect(await work.get(pkg.digest)).toBe(pkg);
    finish();
    await work.settled();
    expect(work.has(pkg.digest)).toBe(false);
    expect(work.get(pkg.digest)).toBeUndefined();
  });

  it('waits for every promise tracked, also one that fails, and hands each back unchanged', async () => {
    const work = createWorkInFlight();
    const done: string[] = [];
    const failing = Promise.reject(new Error('boom'));
    expect(work.track(failing)).toBe(failing);
    await expect(failing).rejects.toThrow('boom');
    void work.track(new Promise<void>((resolve) => setTimeout(() => resolve(void done.push('slow')), 5)));
    await work.settled();
    expect(done).toEqual(['slow']);
  });
});
