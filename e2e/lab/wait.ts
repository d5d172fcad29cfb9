// Waits for a condition with a deadline, checking it again every few milliseconds: the lab's only way of waiting.

export interface WaitOptions {
  timeoutMs?: number;
  /** Pause between checks. */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/**
 * Resolves with the first truthy value `check` returns. `check` may throw to abort the wait
 * (for example when the process being watched has exited); the error is passed on.
 * On timeout, `describe` (if given) adds detail such as a log tail to the message.
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions & { describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) {
      const detail = options.describe?.() ?? '';
      throw new WaitTimeoutError(
        `lab: timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}${detail === '' ? '' : `\n${detail}`}`,
      );
    }
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
