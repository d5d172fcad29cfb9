import { describe, expect, it } from 'vitest';
import { manualClock } from '../core/session/manualClock.testkit.ts';
import { closeBeforeQuit } from './closeBeforeQuit.ts';

/**
 * Stands in for Electron's app: `quit()` emits 'before-quit' as Electron does, and the app has quit when no listener
 * held it back. `quits` counts the quit requests that went through.
 */
function fakeApp() {
  let listener: (event: { preventDefault(): void }) => void = () => undefined;
  const app = {
    quits: 0,
    on(event: string, fn: typeof listener) {
      if (event === 'before-quit') listener = fn;
      return app;
    },
    quit() {
      let held = false;
      listener({ preventDefault: () => (held = true) });
      if (!held) app.quits++;
    },
  };
  return app;
}

/** A close that ends when the test says, counting how often it was called. */
function controlledClose() {
  const close = { calls: 0, finish: () => {}, fail: (_error: Error) => {} };
  const run = () => {
    close.calls++;
    return new Promise<void>((resolve, reject) => Object.assign(close, { finish: resolve, fail: reject }));
  };
  return { close, run };
}

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

function wire() {
  const app = fakeApp();
  const clock = manualClock();
  const { close, run } = controlledClose();
  const logged: string[] = [];
  closeBeforeQuit({ app: app as never, close: run, limitMs: 5_000, timers: clock, log: (line) => logged.push(line) });
  return { app, clock, close, logged };
}

describe('closeBeforeQuit', () => {
  it('holds the quit back until the application has closed, then quits once', async () => {
    const { app, close, clock, logged } = wire();
    app.quit();
    await drain();
    expect({ quits: app.quits, closes: close.calls }).toEqual({ quits: 0, closes: 1 });
    close.finish();
    await drain();
    expect({ quits: app.quits, closes: close.calls, logged, timers: clock.pending() }).toEqual({ quits: 1, closes: 1, logged: [], timers: [] });
  });

  it('holds back further quit requests while closing, without closing twice', async () => {
    const { app, close } = wire();
    app.quit();
    app.quit();
    app.quit();
    close.finish();
    await drain();
    expect({ quits: app.quits, closes: close.calls }).toEqual({ quits: 1, closes: 1 });
  });

  it('quits anyway when the close takes longer than the limit, and says so', async () => {
    const { app, close, clock, logged } = wire();
    app.quit();
    await clock.advance(4_999);
    expect(app.quits).toBe(0);
    await clock.advance(1);
    expect({ quits: app.quits, logged }).toEqual({ quits: 1, logged: ['Raincoat did not finish closing within 5 s: quitting anyway'] });
    close.finish();
    await drain();
    expect(app.quits).toBe(1);
  });

  it('quits anyway when the close fails, and says why', async () => {
    const { app, close, logged } = wire();
    app.quit();
    close.fail(new Error('entry root unreachable'));
    await drain();
    expect({ quits: app.quits, logged }).toEqual({ quits: 1, logged: ['Raincoat could not close cleanly (entry root unreachable): quitting anyway'] });
  });
});
