import { describe, expect, it } from 'vitest';
import type { SocketLike } from '../../src-shared/contract/socketTransport.ts';
import type { Bridge } from '../../src-shared/contract/transport.ts';
import { pickTransport } from './pickTransport.ts';

function environment(overrides: { bridge?: Bridge; hash?: string }) {
  const opened: string[] = [];
  const socket: SocketLike = { send: () => undefined, close: () => undefined, addEventListener: () => undefined };
  const env = {
    bridge: overrides.bridge,
    host: '127.0.0.1:4567',
    hash: overrides.hash ?? '',
    openSocket: (url: string) => (opened.push(url), socket),
  };
  return { env, opened };
}

describe('pickTransport', () => {
  it('uses the Electron bridge when the preload set one, and opens no socket', async () => {
    const bridge: Bridge = { call: async () => ({ ok: true, value: 'via ipc' }), on: () => () => undefined };
    const { env, opened } = environment({ bridge, hash: '#token=abc' });
    await expect(pickTransport(env)?.call('topology.get', undefined)).resolves.toBe('via ipc');
    expect(opened).toEqual([]);
  });

  it('connects to the page’s own host with the token from the fragment', () => {
    const { env, opened } = environment({ hash: '#token=a%2Bb' });
    expect(pickTransport(env)).not.toBeNull();
    expect(opened).toEqual(['ws://127.0.0.1:4567/contract?token=a%2Bb']);
  });

  it.each(['', '#', '#token=', '#other=1'])('gives up without a token (hash %j)', (hash) => {
    const { env, opened } = environment({ hash });
    expect(pickTransport(env)).toBeNull();
    expect(opened).toEqual([]);
  });
});
