// One parse per package per process: agents hosted together (the sandbox runs hundreds in one process) are each sent the
// very same bytes by their neighbours, and each would parse and validate the whole package again. Packages are never
// changed once parsed (digestCheck.ts, packageBytes.ts rely on it too), so one parsed object serves them all.
import { createHash } from 'node:crypto';
import { DeployPackageSchema, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { formatProblem, zodProblems } from '../../src-shared/validation/zodProblems.ts';

/** A few packages at once at most are in flight (a deploy, its successor); older ones are parsed again if asked. */
const KEPT = 4;
const parsed = new Map<string, DeployPackage>();

export type Parsed = { package: DeployPackage } | { problem: string };

/** The package these bytes hold, parsed and checked against its schema once per process; or why they hold none. */
export function parsePackageBytes(body: Buffer): Parsed {
  const key = createHash('sha256').update(body).digest('hex');
  const known = parsed.get(key);
  if (known) return { package: known };
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  const result = DeployPackageSchema.safeParse(json, { reportInput: true });
  if (!result.success) return { problem: formatProblem(zodProblems(result.error, 'package')[0]!) };
  parsed.set(key, result.data);
  if (parsed.size > KEPT) parsed.delete(parsed.keys().next().value!);
  return { package: result.data };
}
