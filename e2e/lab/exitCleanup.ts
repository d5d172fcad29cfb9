// Runs the emergency cleanup of every open lab when the process exits or is told to stop (SIGINT, SIGTERM, SIGHUP).

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const pending = new Set<() => void>();
let installed = false;

/** Registers a synchronous cleanup; the returned function unregisters it (call it once the lab closed normally). */
export function onProcessEnd(cleanup: () => void): () => void {
  install();
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

function runPending(): void {
  for (const cleanup of [...pending]) {
    pending.delete(cleanup);
    try {
      cleanup();
    } catch (e) {
      process.stderr.write(`lab: cleanup at exit failed: ${(e as Error).message}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runPending);
  for (const signal of SIGNALS) {
    const handler = (): void => {
      runPending();
      process.off(signal, handler);
      // With our handler gone and nobody else listening, re-raising gives the default action: the process ends by that signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}
