import { describe, expect, it } from 'vitest';
import { bringForward, holdSingleInstance } from './singleInstance.ts';

/** Stands in for Electron's app: whether the lock is free, what was asked of it, and its listeners. */
function fakeApp(lockFree: boolean) {
  const listeners = new Map<string, () => void>();
  const asked: string[] = [];
  const app = {
    requestSingleInstanceLock: () => (asked.push('lock'), lockFree),
    quit: () => void asked.push('quit'),
    on: (event: string, listener: () => void) => (listeners.set(event, listener), app),
  };
  return { app: app as never, asked, listeners };
}

describe('holdSingleInstance', () => {
  it('in the first instance, holds the lock and hands every later launch to onSecondLaunch', () => {
    const { app, asked, listeners } = fakeApp(true);
    let launches = 0;
    expect(holdSingleInstance(app, () => launches++)).toBe(true);
    listeners.get('second-instance')!();
    listeners.get('second-instance')!();
    expect({ asked, launches }).toEqual({ asked: ['lock'], launches: 2 });
  });

  it('in a second instance, quits and listens for nothing', () => {
    const { app, asked, listeners } = fakeApp(false);
    expect(holdSingleInstance(app, () => undefined)).toBe(false);
    expect(asked).toEqual(['lock', 'quit']);
    expect(listeners.size).toBe(0);
  });
});

describe('bringForward', () => {
  it.each([
    { minimized: true, want: ['restore', 'show', 'focus'] },
    { minimized: false, want: ['show', 'focus'] },
  ])('minimized $minimized: $want', ({ minimized, want }) => {
    const done: string[] = [];
    bringForward({ isMinimized: () => minimized, restore: () => void done.push('restore'), show: () => void done.push('show'), focus: () => void done.push('focus') });
    expect(done).toEqual(want);
  });
});
