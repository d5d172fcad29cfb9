// A root's deployed swanctl.conf with its tunnels' children replaced by what rerouting wants them to carry: the
// `connections` section only (no secrets), for `swanctl --load-conns --file`. Pure.
//
// The file is the one Raincoat renders for the linux backend (src-main/core/render/linux/renderSwanctlConf.ts): sections
// open on a line ending in ` {`, close on a line of `}`, and every other line is `key = value`. Each new child copies the
// settings of the connection's first rendered child (proposals, lifetimes, start and DPD actions) and changes only its
// name and traffic selectors, so a rerouted CHILD_SA is negotiated and kept as the deployed ones are.
import type { ChildTraffic, TunnelTraffic } from './reroutePlan.ts';

interface Section {
  /** The opening line's name, `connections`, `tunnel-1-2`, … */
  name: string;
  /** Its lines, the opening and closing ones included. */
  lines: string[];
  children: Section[];
}

/** The top-level sections of a swanctl.conf, nested. */
function parseSections(text: string): Section[] {
  const top: Section[] = [];
  const stack: Section[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const open = /^([A-Za-z0-9._-]+) \{$/.exec(trimmed);
    for (const section of stack) section.lines.push(line);
    if (open) {
      const section: Section = { name: open[1]!, lines: [line], children: [] };
      (stack.length === 0 ? top : stack[stack.length - 1]!.children).push(section);
      stack.push(section);
      continue;
    }
    if (trimmed === '}') {
      if (stack.pop() === undefined) throw new Error('swanctl.conf: a } closes nothing');
    }
  }
  if (stack.length > 0) throw new Error('swanctl.conf: a section is not closed');
  return top;
}

/** A tunnel's first child is named as the tunnel, the others `<tunnel>-t2`, … (as the renderer names them); the probe `<tunnel>-probe`. */
function childNames(tunnel: TunnelTraffic): Array<[string, ChildTraffic]> {
  return [...tunnel.children.map((c, i): [string, ChildTraffic] => [i === 0 ? tunnel.name : `${tunnel.name}-t${i + 1}`, c]), ...(tunnel.probe ? [[`${tunnel.name}-probe`, tunnel.probe] as [string, ChildTraffic]] : [])];
}

function childLines(template: Section, name: string, traffic: ChildTraffic): string[] {
  const [first, ...rest] = template.lines;
  const indent = /^\s*/.exec(first!)![0];
  return [
    `${indent}${name} {`,
    ...rest.map((line) => {
      const key = /^(\s*)(local_ts|remote_ts) = /.exec(line);
      if (!key) return line;
      return `${key[1]}${key[2]} = ${(key[2] === 'local_ts' ? traffic.local : traffic.remote).join(', ')}`;
    }),
  ];
}

/**
 * The `connections` section of `swanctlConf` with each tunnel of `tunnels` carrying its children (and probe) instead of
 * the rendered ones; connections not named in `tunnels` are kept as they are.
 */
export function reroutedConnections(swanctlConf: string, tunnels: readonly TunnelTraffic[]): string {
  const connections = parseSections(swanctlConf).find((s) => s.name === 'connections');
  if (connections === undefined) throw new Error('swanctl.conf has no connections section');
  const byName = new Map(tunnels.map((t) => [t.name, t]));
  const out: string[] = [connections.lines[0]!];
  for (const connection of connections.children) {
    const tunnel = byName.get(connection.name);
    const children = connection.children.find((s) => s.name === 'children');
    const template = children?.children[0];
    if (tunnel === undefined || children === undefined || template === undefined) {
      out.push(...connection.lines);
      continue;
    }
    const before = connection.lines.slice(0, connection.lines.indexOf(children.lines[0]!));
    const after = connection.lines.slice(before.length + children.lines.length);
    out.push(...before, children.lines[0]!, ...childNames(tunnel).flatMap(([name, traffic]) => childLines(template, name, traffic)), children.lines.at(-1)!, ...after);
  }
  out.push(connections.lines.at(-1)!);
  return `${out.join('\n')}\n`;
}
