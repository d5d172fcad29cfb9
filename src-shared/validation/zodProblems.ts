// zod issues as problems in the project's one style, `path: expected X, found Y`: topologies, agent configs, request bodies.
import type { z } from 'zod';

/** One thing wrong with the input: where (`roots[2].overlay`) and what was found against what is expected. */
export interface Problem {
  path: string;
  message: string;
}

/** `roots[2].overlay: 10.4.0.0/16 overlaps root 1`: a problem as one line, the way every surface prints it. */
export function formatProblem(problem: Problem): string {
  return `${problem.path}: ${problem.message}`;
}

/** `fallbackPath` names the whole value when an issue has an empty path; `prefix` is prepended to every path. */
export function zodProblems(error: z.ZodError, fallbackPath: string, prefix = ''): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const path = joinPath(prefix, issue.path) || fallbackPath;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: joinPath(prefix, [...issue.path, key]), message: 'unknown field' });
      continue;
    }
    const found = 'input' in issue ? issue.input : undefined;
    const missing = found === undefined && issue.code === 'invalid_type';
    out.push({ path, message: missing ? `missing, ${issue.message}` : `${issue.message}, found ${describe(found)}` });
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

/** A short, safe rendering of whatever the input held. */
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
