// Probes of what a firewall lets through, from a lab host: a TCP listener to stand in for a service, a TCP connect that
// tells "open" from "dropped", and a single ping that does not retry.
import type { Host } from './host.ts';

/** Accepts TCP connections on a port and greets each with "hi": a stand-in for the agent, or for anything else listening. */
export const LISTENER = `import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen()
while True:
    c, _ = s.accept(); c.sendall(b"hi"); c.close()`;

/** 'open' when the greeting comes, 'dropped' when nothing answers within a second, else what went wrong. */
export async function tcpProbe(from: Host, address: string, port: number): Promise<string> {
  const probe = 'import socket, sys\ntry:\n  print(socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).recv(2).decode())\nexcept socket.timeout:\n  print("dropped")';
  const result = await from.exec(['python3', '-c', probe, address, String(port)], { allowFailure: true });
  const said = result.stdout.trim();
  return said === 'hi' ? 'open' : said || result.stderr.trim().split('\n').at(-1)!;
}

/** One ping, one second: whether it is answered (no retries: a dropped packet must stay dropped). */
export const pingOnce = async (from: Host, address: string) => (await from.exec(['ping', '-c', '1', '-W', '1', address], { allowFailure: true })).code === 0;
