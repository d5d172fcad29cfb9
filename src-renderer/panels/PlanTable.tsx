// The address plan of one root: its uplink server and, per leaf, the client subnet and addresses.
import type { RootPlan } from '../../src-shared/plan/planAddresses.ts';

export function PlanTable({ plan }: { plan: RootPlan }) {
  return (
    <section className="plan" aria-label={`Address plan of ${plan.name}`}>
      <h3>Address plan</h3>
      <dl className="plan-facts">
        <dt>Node</dt>
        <dd>{plan.nodeName}</dd>
        <dt>Leaf uplinks</dt>
        <dd>
          {plan.uplinkSubnet} (server {plan.uplinkServerAddress})
        </dd>
        <dt>NAT</dt>
        <dd>{plan.natted ? 'one-to-one (cloud maps the address)' : 'none (address on the box)'}</dd>
      </dl>
      <table>
        <thead>
          <tr>
            <th>Leaf</th>
            <th>Client subnet</th>
            <th>Server</th>
            <th>Uplink</th>
            <th>Clients</th>
          </tr>
        </thead>
        <tbody>
          {plan.leaves.map((leaf) => (
            <tr key={leaf.nodeName}>
              <td>{leaf.nodeName}</td>
              <td>{leaf.clientSubnet}</td>
              <td>{leaf.clientServerAddress}</td>
              <td>{leaf.uplinkAddress}</td>
              <td className="number">{leaf.maxClients}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
