// Asks for a secret on the terminal with echo off: the only way a command reads a password from a person.
import { typeHidden } from './hiddenTyping.ts';
import type { Typing } from './hiddenTyping.ts';

/** The terminal's input, as much of tty.ReadStream as the prompt needs. */
export interface HiddenInput {
  setRawMode(raw: boolean): unknown;
  setEncoding(encoding: 'utf8'): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
}

/** Writes `prompt` to `output` (stderr: stdout stays the command's answer), reads until Enter; rejects at Ctrl-C. */
export function askHidden(prompt: string, input: HiddenInput, output: { write(text: string): unknown }): Promise<string> {
  return new Promise((resolve, reject) => {
    let typing: Typing = { answer: '' };
    const onData = (chunk: string) => {
      typing = typeHidden(typing, chunk);
      if (!typing.done) return;
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (typing.done === 'enter') resolve(typing.answer);
      else reject(new Error('cancelled at the password prompt'));
    };
    output.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

/** The process's terminal, when stdin is one; undefined when it is a pipe or a file (nobody to ask). */
export function terminalAsker(): ((prompt: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return (prompt) => askHidden(prompt, process.stdin, process.stderr);
}
