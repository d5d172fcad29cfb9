// Keeps a stopped node's port taken: while its agent is down nothing else on the machine (an outgoing connection's
// ephemeral port, say) can take it, so the node comes back where its neighbours look for it. Connections are closed at
// once, as a stopped agent's would fail.
import { createServer } from 'node:net';
import type { PortHold } from './sandboxHost.ts';

export function holdPort(port: number): Promise<PortHold> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        release: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
