// `npm start` as a user runs it, seen through the application's own contract: the loopback host in a user's home
// (WebHostProcess), the contract's client over its socket, and the newest overlay state as events bring it.
import { createClient } from '../../src-shared/contract/client.ts';
import type { Client } from '../../src-shared/contract/client.ts';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { socketTransport } from '../../src-shared/contract/socketTransport.ts';
import { WebHostProcess } from '../ui/webHostProcess.ts';
import type { UserHome } from '../userHome.testkit.ts';

export interface RunningApp {
  client: Client;
  output(): string;
  /** The newest overlay state once `done` holds for it (each event is checked as it comes). */
  until(done: (state: OverlayState) => boolean, what: string, timeoutMs?: number): Promise<OverlayState>;
  /** Ctrl+C (it logs out), or a kill that gives it no chance to; the home stays. */
  stop(signal?: 'SIGINT' | 'SIGKILL'): Promise<void>;
}

/** `npm start -- --web --no-open` in `home`, once it printed its address and its contract answers. */
export async function startRaincoat(home: UserHome): Promise<RunningApp> {
  const host = await WebHostProcess.start('start', home);
  const transport = socketTransport(host.socketUrl, (address) => new WebSocket(address));
  const client = createClient(transport);
  let latest: OverlayState | undefined;
  const waiters = new Set<() => void>();
  client.on('overlay.didChange', (state) => {
    if (!latest || state.revision > latest.revision) latest = state;
    for (const wake of waiters) wake();
  });
  return {
    client,
    output: () => host.output(),
    until(done, what, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (latest && done(latest)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(latest);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${what}: not within ${timeoutMs / 1000} s; last state ${JSON.stringify(latest)}\n${host.output()}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop(signal = 'SIGINT') {
      transport.close();
      await host.stop(signal);
    },
  };
}
