import { describe, expect, it } from 'vitest';
import { createWorkInFlight } from './workInFlight.ts';

describe('createWorkInFlight', () => {
  it('holds a thing under its digest while its work runs', async () => {
    const work = createWorkInFlight<{ digest: string }>();
    const pkg = { digest: 'sha256:aa' };
    let finish: () => void = () => undefined;
    work.hold(pkg.digest, Promise.resolve(pkg), new Promise<void>((resolve) => (finish = resolve)));
    expect(work.has(pkg.digest)).toBe(true);
    expect(work.size()).toBe(1);
    expect(await work.get(pkg.digest)).toBe(pkg);
    finish();
    await work.settled();
    expect(work.has(pkg.digest)).toBe(false);
    expect(work.get(pkg.digest)).toBeUndefined();
    expect(work.size()).toBe(0);
  });

  it('waits for every promise tracked, also one that fails, and hands each back unchanged', async () => {
    const work = createWorkInFlight<never>();
    const done: string[] = [];
    const failing = Promise.reject(new Error('boom'));
    expect(work.track(failing)).toBe(failing);
    await expect(failing).rejects.toThrow('boom');
    void work.track(new Promise<void>((resolve) => setTimeout(() => resolve(void done.push('slow')), 5)));
    await work.settled();
    expect(done).toEqual(['slow']);
  });

  it('waits also for work begun by work it waits for', async () => {
    const work = createWorkInFlight<never>();
    const done: string[] = [];
    void work.track(Promise.resolve().then(() => void work.track(new Promise<void>((resolve) => setTimeout(() => resolve(void done.push('later')), 5)))));
    await work.settled();
    expect(done).toEqual(['later']);
  });
});
