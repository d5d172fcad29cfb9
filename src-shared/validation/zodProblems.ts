// zod issues as problems in the project's one style, `path: expected X, found Y`: topologies, agent configs, request bodies.
import type { z } from 'zod';
import { count } from '../text/count.ts';

/** One thing wrong with the input: where (`roots[2].overlay`) and what was found against what is expected. */
export interface Problem {
  path: string;
  message: string;
}

/** `roots[2].overlay: 10.4.0.0/16 overlaps root 1`: a problem as one line, the way every surface prints it. */
export function formatProblem(problem: Problem): string {
  return `${problem.path}: ${problem.message}`;
}

export interface ZodProblemOptions {
  /**
   * False for files that hold secrets (credential records, tokens, keys): what was found is then said by its kind
   * (`a string of 43 characters`), never quoted, so a problem can be logged and shown safely.
   */
  quoteValues?: boolean;
}

/** `fallbackPath` names the whole value when an issue has an empty path; `prefix` is prepended to every path. */
export function zodProblems(error: z.ZodError, fallbackPath: string, prefix = '', options: ZodProblemOptions = {}): Problem[] {
  const found = options.quoteValues === false ? describeKind : describe;
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const path = joinPath(prefix, issue.path) || fallbackPath;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: joinPath(prefix, [...issue.path, key]), message: 'unknown field' });
      continue;
    }
    if (issue.code === 'invalid_key') {
      // A bad record key: say why it is bad, not just that it is.
      for (const inner of issue.issues) out.push({ path, message: `${inner.message}, found ${found(issue.input)}` });
      continue;
    }
    const input = 'input' in issue ? issue.input : undefined;
    const missing = input === undefined && issue.code === 'invalid_type';
    out.push({ path, message: missing ? `missing, ${issue.message}` : `${issue.message}, found ${found(input)}` });
  }
  return out;
}

function joinPath(prefix: string, segments: readonly PropertyKey[]): string {
  let path = prefix;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path ? `.${String(segment)}` : String(segment);
  }
  return path;
}

/** What the input held, by its kind only: for values that may be secret. */
function describeKind(value: unknown): string {
  if (typeof value === 'string') return `a string of ${count(value.length, 'character')}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `a ${typeof value}`;
  return describe(value);
}

/** A short rendering of whatever the input held (strings cut at 40 characters). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}
