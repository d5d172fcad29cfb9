// Runs async operations one after another, in the order they were asked for: a write never overtakes an earlier one.

/** Queues `operation` behind every one queued before; a failure is the caller's alone and does not stop the queue. */
export type SerialQueue = <T>(operation: () => Promise<T>) => Promise<T>;

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(operation: () => Promise<T>): Promise<T> => {
    const run = tail.then(operation);
    tail = run.catch(() => undefined);
    return run;
  };
}
