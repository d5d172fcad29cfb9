// Chooses how the renderer reaches main: the preload's bridge inside Electron, else the loopback host's socket with the token from the page address.
import { bridgeTransport } from '../../src-shared/contract/bridgeTransport.ts';
import { SOCKET_PATH } from '../../src-shared/contract/socketMessages.ts';
import type { SocketLike } from '../../src-shared/contract/socketTransport.ts';
import { socketTransport } from '../../src-shared/contract/socketTransport.ts';
import type { Bridge, Transport } from '../../src-shared/contract/transport.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    raincoat?: Bridge;
  }
}

export interface PageEnvironment {
  bridge: Bridge | undefined;
  /** `location.host` and `location.hash` of the page: the host printed `http://127.0.0.1:PORT/#token=…`. */
  host: string;
  hash: string;
  openSocket(url: string): SocketLike;
}

/** A transport, or null when the page has neither the bridge nor a token (opened without the printed address). */
export function pickTransport(env: PageEnvironment): Transport | null {
  if (env.bridge) return bridgeTransport(env.bridge);
  const token = new URLSearchParams(env.hash.replace(/^#/, '')).get('token');
  if (!token) return null;
  return socketTransport(`ws://${env.host}${SOCKET_PATH}?token=${encodeURIComponent(token)}`, env.openSocket);
}
