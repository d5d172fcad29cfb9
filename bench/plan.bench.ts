// Benchmark: validate + plan a 500-root / 1,000-tunnel topology, and one root with 50,000 clients.
import { validateTopology } from '../src-shared/topology/validate.ts';
import { planAddresses } from '../src-shared/plan/planAddresses.ts';
import { median, timeRuns } from './stats.ts';
import { syntheticTopology } from './topologies.ts';

function validateAndPlan(raw: unknown) {
  const result = validateTopology(raw);
  if (!result.ok) throw new Error(`benchmark topology is invalid: ${result.problems[0]?.path}: ${result.problems[0]?.message}`);
  return planAddresses(result.topology);
}

const large = syntheticTopology(500, 1000);
const crowded = syntheticTopology(1, 0, 50_000);
const runs = 30;
const largeTimes = await timeRuns(runs, () => validateAndPlan(large), 5);
const crowdedTimes = await timeRuns(runs, () => validateAndPlan(crowded), 5);
const plan = validateAndPlan(large);
console.log(`500 roots / ${large.tunnels.length} tunnels -> ${plan.summary.leaves} leaves: median ${median(largeTimes).toFixed(2)} ms over ${runs} runs (target < 50 ms)`);
console.log(`1 root / 50,000 clients -> ${validateAndPlan(crowded).summary.leaves} leaves: median ${median(crowdedTimes).toFixed(2)} ms over ${runs} runs`);
console.log(JSON.stringify({ plan500RootsMs: +median(largeTimes).toFixed(3), plan50kClientsMs: +median(crowdedTimes).toFixed(3) }));
