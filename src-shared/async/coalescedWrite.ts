// A state written whole after its changes, one write at a time: changes that come while a write is queued or under way
// make one more write, of the newest, rather than one each.
import { createSerialQueue } from './serialQueue.ts';

export interface CoalescedWrite {
  /** Asks for a write of whatever `write` finds when it comes to be done. */
  changed(): void;
  /** Resolves when the writes asked for so far are done. */
  settled(): Promise<void>;
}

/** `write` writes the state as it is when called; a failure goes to `onError` and stops no later write. */
export function createCoalescedWrite(write: () => Promise<void>, onError: (error: unknown) => void): CoalescedWrite {
  const serial = createSerialQueue();
  let writeQueued = false;
  return {
    changed() {
      if (writeQueued) return;
      writeQueued = true;
      serial(() => {
        writeQueued = false;
        return write();
      }).catch(onError);
    },
    settled: () => serial(async () => undefined),
  };
}
