// Which tunnels of the overlay are cut, from what their ends report: the live graph that rerouting routes over. Pure.
import { tunnelName } from '../../src-shared/plan/nodeNames.ts';
import type { TunnelState } from '../../src-shared/protocol/messages.ts';

/** What root `root` last reported (and still fresh) of its tunnel to `peer`; undefined when unknown. */
export type TunnelReportOf = (root: number, peer: number) => TunnelState['state'] | undefined;

/**
 * The tunnels cut now, by name. A tunnel is cut as soon as either end reports it `down`. Once cut it stays cut until an
 * end reports it `up` and neither reports it `down`: a tunnel that is only `connecting` again (the keeping end retrying)
 * has not proven it carries traffic. A tunnel nobody reports on keeps its last decision; at first every tunnel is live,
 * so tunnels still coming up after a deploy are not routed around.
 */
export function cutTunnels(tunnels: ReadonlyArray<{ a: number; b: number }>, reportOf: TunnelReportOf, previouslyCut: ReadonlySet<string>): Set<string> {
  const cut = new Set<string>();
  for (const { a, b } of tunnels) {
    const name = tunnelName(a, b);
    const states = [reportOf(a, b), reportOf(b, a)];
    const down = states.includes('down');
    const provenUp = states.includes('up');
    if (down || (previouslyCut.has(name) && !provenUp)) cut.add(name);
  }
  return cut;
}
