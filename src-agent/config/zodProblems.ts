// zod issues as `path: expected X, found Y` problems, the style topology validation uses, for configs and request bodies.
import type { z } from 'zod';
import { describe } from '../../src-shared/topology/validate.ts';
import type { Problem } from '../../src-shared/topology/validate.ts';

/** `fallbackPath` names the whole value when an issue has an empty path. */
export function zodProblems(error: z.ZodError, fallbackPath: string): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    const path = joinPath(issue.path) || fallbackPath;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: joinPath([...issue.path, key]), message: 'unknown field' });
      continue;
    }
    const found = 'input' in issue ? issue.input : undefined;
    const missing = found === undefined;
    problems.push({ path, message: missing ? `missing, ${issue.message}` : `${issue.message}, found ${describe(found)}` });
  }
  return problems;
}

function joinPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) path += typeof segment === 'number' ? `[${segment}]` : path ? `.${String(segment)}` : String(segment);
  return path;
}
