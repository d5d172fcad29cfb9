import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { askHidden } from './askHidden.ts';

/** A terminal that notes its raw mode and whether it reads. */
function terminal() {
  const input = Object.assign(new EventEmitter(), {
    modes: [] as boolean[],
    reading: false,
    setRawMode(raw: boolean) {
      input.modes.push(raw);
    },
    setEncoding: () => undefined,
    resume: () => (input.reading = true),
    pause: () => (input.reading = false),
  });
  let written = '';
  return { input, output: { write: (text: string) => (written += text) }, written: () => written };
}

describe('askHidden', () => {
  it('prompts, reads with echo off, and gives the terminal back as it found it', async () => {
    const t = terminal();
    const answer = askHidden('Password: ', t.input, t.output);
    expect(t.input.reading).toBe(true);
    t.input.emit('data', 'top ');
    t.input.emit('data', 'secret\r');
    expect(await answer).toBe('top secret');
    expect({ modes: t.input.modes, reading: t.input.reading, listeners: t.input.listenerCount('data'), written: t.written() }).toEqual({
      modes: [true, false],
      reading: false,
      listeners: 0,
      written: 'Password: \n',
    });
  });

  it('rejects at Ctrl-C and restores the terminal', async () => {
    const t = terminal();
    const answer = askHidden('Password: ', t.input, t.output);
    t.input.emit('data', 'abc\u0003');
    await expect(answer).rejects.toThrow('cancelled at the password prompt');
    expect(t.input.modes).toEqual([true, false]);
  });
});
