// The address plan of a lab test's topology, which must be valid: the first step of every rendered-overlay lab test.
import { planAddresses, type AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import { validateTopology } from '../../src-shared/topology/validate.ts';

/** Validates `topology` and plans it; throws with the problems when the test's own topology is invalid. */
export function planTopology(topology: unknown): AddressPlan {
  const validated = validateTopology(topology);
  if (!validated.ok) throw new Error(`the test topology is invalid: ${JSON.stringify(validated.problems)}`);
  return planAddresses(validated.topology);
}
