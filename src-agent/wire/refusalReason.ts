// How much a refusal may say: a body's first few problems and how many more there were, and a bounded length in all, so
// that an answer cannot be made to repeat a large body back (an unknown-field refusal of a 250 KB body was 449 KB).
import { count } from '../../src-shared/text/count.ts';
import { formatProblem } from '../../src-shared/validation/zodProblems.ts';
import type { Problem } from '../../src-shared/validation/zodProblems.ts';

/** Enough to fix a body by; a body with more problems is usually not the one the route takes at all. */
const MAX_LISTED_PROBLEMS = 5;
/** Every reason the agent answers with, a flood stream's acknowledgements included (floodStreamServer.ts). */
export const MAX_REASON_CHARS = 500;

/** Room kept for `; and 12345 more problems`. */
const TAIL_CHARS = 40;

/** `a: unknown field; b: …; and 9995 more problems`: the first few problems that fit in a reason, at least one. */
export function listProblems(problems: readonly Problem[]): string {
  const listed: string[] = [];
  let length = 0;
  for (const problem of problems.slice(0, MAX_LISTED_PROBLEMS)) {
    const line = formatProblem(problem);
    if (listed.length > 0 && length + line.length + 2 > MAX_REASON_CHARS - TAIL_CHARS) break;
    listed.push(line);
    length += line.length + 2;
  }
  const more = problems.length - listed.length;
  return more > 0 ? `${listed.join('; ')}; and ${count(more, 'more problem')}` : listed.join('; ');
}

/** A reason as it is answered: cut at MAX_REASON_CHARS, saying how much was left out. */
export function boundReason(reason: string): string {
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}… (${count(reason.length - MAX_REASON_CHARS, 'more character')})` : reason;
}
