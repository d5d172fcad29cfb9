// The topology the sandbox runs when given none: three clouds joined in a triangle, eight agents in all (three roots,
// five leaves), which start in a few seconds and show every kind of node and link.
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import { formatProblem } from '../../../src-shared/validation/zodProblems.ts';
import example from './exampleTopology.json' with { type: 'json' };

export function exampleTopology(): Topology {
  const checked = validateTopology(example);
  if (!checked.ok) throw new Error(`the example topology is invalid: ${checked.problems.map(formatProblem).join('; ')}`);
  return checked.topology;
}
