import { describe, expect, it } from 'vitest';
import type { FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import { createManualClock } from '../clock.ts';
import { createHeldCredential } from './heldCredential.ts';
import { startAdministrator } from './startAdministrator.ts';

describe('startAdministrator', () => {
  it('ticks the lock on the clock until stopped, asks for a beat when a password is set here, and takes the lock’s messages', async () => {
    const clock = createManualClock(1_000);
    const flooded: string[] = [];
    const heard: string[] = [];
    let beats = 0;
    const credential = createHeldCredential({ store: { load: async () => ({ kind: 'missing' }), save: async () => undefined }, selfRootId: 1, now: clock.now, log: () => undefined });
    await credential.start();
    const administrator = startAdministrator({
      rootId: 1,
      credential,
      book: { liveRoots: () => [1, 2], heardFrom: (node) => void heard.push(node), unheardRoots: () => [] },
      flood: (type) => void flooded.push(type),
      clock,
      idleMs: 60_000,
      beat: () => beats++,
    });

    const reply = await administrator.handlers.login.handle({ node: undefined, bearer: undefined, address: '10.0.0.1' }, { user: 'administrator', password: 'makeitrain', newPassword: 'a new password 1' });
    expect((reply as { json: { progress: { phase: string } } }).json.progress.phase).toBe('waiting');
    expect(beats).toBe(1);
    expect(flooded).toEqual(['i_have_administrator']);
    // Waiting for root-2: the lock's tick floods the request again every four seconds.
    clock.advance(4_000);
    expect(flooded).toEqual(['i_have_administrator', 'i_have_administrator']);

    const claim: FloodMessageOf<'i_lost_administrator'> = { id: 'root-2.1', origin: 'root-2', type: 'i_lost_administrator', ts: clock.now(), sig: 'A'.repeat(86), body: { loginId: 'x', reason: 'logout' } };
    administrator.messageHandlers.i_lost_administrator(claim, 'root-2');
    expect(heard).toEqual(['root-2']);

    administrator.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(60_000);
    expect(flooded).toHaveLength(2);
  });
});
