import { describe, expect, it } from 'vitest';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { createManualClock, settle } from '../clock.ts';
import { simulatedSignature } from './memoryNetwork.ts';
import { createFloodRouter } from './router.ts';
import type { FloodRouter } from './router.ts';
import { createSender } from './sender.ts';
import type { SenderOptions } from './sender.ts';

/** Message `seq` of `origin`, of a type that is never superseded unless told. */
const msg = (seq: number, origin = 'root-1', type: FloodMessage['type'] = 'confirm_deploy') => ({ id: `${origin}.${seq}`, origin, type }) as FloodMessage;

/** A transport whose behaviour per neighbour the test sets; it records every attempt with its time. */
function scripted(clock: { now(): number }) {
  const attempts: { to: string; id: string; at: number }[] = [];
  const behaviour = new Map<string, 'ok' | 'fail' | 'refuse' | 'hang'>();
  const transport = (to: string, message: FloodMessage) => {
    attempts.push({ to, id: message.id, at: clock.now() });
    switch (behaviour.get(to) ?? 'ok') {
      case 'ok':
        return Promise.resolve();
      case 'fail':
        return Promise.reject(new Error('connection refused'));
      case 'refuse':
        return Promise.reject(new RangeError('400'));
      case 'hang':
        return new Promise<void>(() => {});
    }
  };
  return { attempts, behaviour, transport };
}

function setup(options: Partial<SenderOptions> = {}) {
  const clock = createManualClock(0);
  const net = scripted(clock);
  const sender = createSender({ transport: net.transport, clock, ...options });
  return { clock, net, sender };
}

describe('createSender', () => {
  it('delivers to each neighbour in order', async () => {
    const { net, sender } = setup();
    for (const seq of [1, 2, 3]) {
      sender.send('root-2', msg(seq));
      sender.send('root-3', msg(seq));
    }
    expect(net.attempts).toEqual([]);
    await settle();
    expect(net.attempts.filter((a) => a.to === 'root-2').map((a) => a.id)).toEqual(['root-1.1', 'root-1.2', 'root-1.3']);
    expect(sender.stats()).toMatchObject({ delivered: 6, queued: 0, failed: 0 });
  });

  it('retries with exponential backoff, then gives up and moves on', async () => {
    const { clock, net, sender } = setup({ maxRetries: 3, backoffMs: 100 });
    net.behaviour.set('root-2', 'fail');
    sender.send('root-2', msg(1));
    sender.send('root-2', msg(2));
    await clock.advanceAsync(10_000);
    const first = net.attempts.filter((a) => a.id === 'root-1.1').map((a) => a.at);
    expect(first).toEqual([0, 100, 300, 700]);
    expect(net.attempts.filter((a) => a.id === 'root-1.2')).toHaveLength(4);
    expect(sender.stats()).toMatchObject({ retried: 6, failed: 2, delivered: 0 });
    expect(clock.pending()).toBe(0);
  });

  it('recovers when a retry gets through', async () => {
    const { clock, net, sender } = setup({ backoffMs: 100 });
    net.behaviour.set('root-2', 'fail');
    sender.send('root-2', msg(1));
    await clock.advanceAsync(150);
    net.behaviour.set('root-2', 'ok');
    await clock.advanceAsync(1000);
    expect(sender.stats()).toMatchObject({ delivered: 1, retried: 2, failed: 0 });
  });

  it('does not retry a failure that is not retryable', async () => {
    const { clock, net, sender } = setup({ retryable: (e) => !(e instanceof RangeError) });
    net.behaviour.set('root-2', 'refuse');
    sender.send('root-2', msg(1));
    await clock.advanceAsync(10_000);
    expect(net.attempts).toHaveLength(1);
    expect(sender.stats()).toMatchObject({ failed: 1, retried: 0 });
  });

  it('treats an attempt that never settles as failed', async () => {
    const { clock, net, sender } = setup({ maxRetries: 1, backoffMs: 100, attemptTimeoutMs: 1000 });
    net.behaviour.set('root-2', 'hang');
    sender.send('root-2', msg(1));
    sender.send('root-2', msg(2));
    await clock.advanceAsync(5000);
    expect(net.attempts.map((a) => `${a.id}@${a.at}`)).toEqual(['root-1.1@0', 'root-1.2@0', 'root-1.1@1100', 'root-1.2@1100']);
    expect(sender.stats()).toMatchObject({ failed: 2 });
  });

  it('keeps up to a window of messages in flight to a neighbour, and sends the next as each one settles', async () => {
    const clock = createManualClock(0);
    const answers: Array<() => void> = [];
    const attempted: string[] = [];
    const sender = createSender({
      clock,
      maxInFlightPerNeighbour: 3,
      transport: (_to, message) => {
        attempted.push(message.id);
        return new Promise<void>((resolve) => answers.push(resolve));
      },
    });
    for (let seq = 1; seq <= 5; seq++) sender.send('root-2', msg(seq));
    await settle();
    expect(attempted).toEqual(['root-1.1', 'root-1.2', 'root-1.3']);
    expect(sender.queued('root-2')).toBe(2);
    answers[1]!();
    await settle();
    expect(attempted).toEqual(['root-1.1', 'root-1.2', 'root-1.3', 'root-1.4']);
    for (const answer of answers.slice()) answer();
    await settle();
    answers.at(-1)!();
    await settle();
    expect(attempted).toHaveLength(5);
    expect(sender.stats()).toMatchObject({ delivered: 5, queued: 0 });
  });

  it('a dead neighbour neither stalls the others nor grows its queue past the bound', async () => {
    const { clock, net, sender } = setup({ maxInFlightPerNeighbour: 2, maxQueuePerOrigin: 5 });
    net.behaviour.set('root-dead', 'hang');
    for (let seq = 1; seq <= 100; seq++) {
      sender.send('root-dead', msg(seq));
      sender.send('root-2', msg(seq));
      await settle();
    }
    expect(net.attempts.filter((a) => a.to === 'root-2')).toHaveLength(100);
    expect(sender.queued('root-dead')).toBe(5);
    expect(sender.stats()).toMatchObject({ delivered: 100, dropped: 93 });
    await clock.advanceAsync(10 * 60_000);
    // What survives the drops is the newest, in order.
    const dead = [...new Set(net.attempts.filter((a) => a.to === 'root-dead').map((a) => a.id))];
    expect(dead).toEqual(['root-1.1', 'root-1.2', 'root-1.96', 'root-1.97', 'root-1.98', 'root-1.99', 'root-1.100']);
    expect(sender.stats().queued).toBe(0);
  });

  it("serves the origins in turn, so one origin's flood drops only its own messages", async () => {
    const { net, sender } = setup({ maxInFlightPerNeighbour: 1, maxQueuePerOrigin: 4 });
    net.behaviour.set('root-2', 'hang');
    // A flood from leaf-1-1 takes the one slot in flight and fills its queue; then this node's own messages come.
    for (let seq = 1; seq <= 50; seq++) sender.send('root-2', msg(seq, 'leaf-1-1'));
    for (let seq = 1; seq <= 3; seq++) sender.send('root-2', msg(seq, 'root-1'));
    expect(sender.stats()).toMatchObject({ dropped: 45, queued: 7 });
    net.behaviour.set('root-2', 'ok');
    const order: string[] = [];
    const fresh = createSender({ clock: createManualClock(0), maxInFlightPerNeighbour: 1, maxQueuePerOrigin: 4, transport: async (_to, m) => void order.push(m.id) });
    for (let seq = 1; seq <= 50; seq++) fresh.send('root-2', msg(seq, 'leaf-1-1'));
    for (let seq = 1; seq <= 3; seq++) fresh.send('root-2', msg(seq, 'root-1'));
    await settle();
    await settle();
    // leaf-1-1's first went out at once; then the turns alternate, and what leaf-1-1 lost is only its own.
    expect(order).toEqual(['leaf-1-1.1', 'leaf-1-1.47', 'root-1.1', 'leaf-1-1.48', 'root-1.2', 'leaf-1-1.49', 'root-1.3', 'leaf-1-1.50']);
    expect(fresh.stats()).toMatchObject({ dropped: 45, delivered: 8 });
  });

  it('a heartbeat replaces a waiting older one of its origin, and nothing else', async () => {
    const { net, sender } = setup({ maxInFlightPerNeighbour: 1 });
    net.behaviour.set('root-2', 'hang');
    sender.send('root-2', msg(1, 'root-1', 'heartbeat'));
    sender.send('root-2', msg(2, 'root-1', 'heartbeat'));
    sender.send('root-2', msg(3, 'root-1', 'i_have_administrator'));
    sender.send('root-2', msg(4, 'root-1', 'heartbeat'));
    sender.send('root-2', msg(1, 'root-3', 'heartbeat'));
    // root-1.1 is in flight; root-1.2 was replaced by root-1.4; root-3's heartbeat is another origin's.
    expect(sender.stats()).toMatchObject({ superseded: 1, dropped: 0, queued: 3 });
  });

  it('a transport that throws outright counts as a failed attempt', async () => {
    const clock = createManualClock(0);
    const sender = createSender({
      transport: () => {
        throw new Error('no route');
      },
      clock,
      maxRetries: 0,
    });
    sender.send('root-2', msg(1));
    await settle();
    expect(sender.stats()).toMatchObject({ failed: 1 });
  });

  it('close cancels pending retries and ignores later sends', async () => {
    const { clock, net, sender } = setup();
    net.behaviour.set('root-2', 'fail');
    sender.send('root-2', msg(1));
    await settle();
    sender.close();
    sender.send('root-2', msg(2));
    await clock.advanceAsync(60_000);
    expect(net.attempts).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });
});

describe('routers joined by senders', () => {
  it('a flood reaches every live node at once, though one neighbour never answers', async () => {
    const clock = createManualClock(1_700_000_000_000);
    const neighbours: Record<string, string[]> = {
      'root-1': ['root-2', 'root-3'],
      'root-2': ['root-1', 'root-4'],
      'root-3': ['root-1', 'root-4'],
      'root-4': ['root-2', 'root-3', 'leaf-4-1'],
      'leaf-4-1': ['root-4'],
    };
    const handled: string[] = [];
    const routers = new Map<string, FloodRouter>();
    for (const node of Object.keys(neighbours)) {
      const sender = createSender({
        clock,
        transport: (to, message) => (to === 'root-2' ? new Promise<void>(() => {}) : Promise.resolve(void routers.get(to)!.receive(node, message))),
      });
      let seq = 0;
      routers.set(
        node,
        createFloodRouter({
          self: node,
          neighbours: () => neighbours[node]!,
          verify: (m) => m.sig === simulatedSignature(m),
          sign: simulatedSignature,
          nextSeq: () => ++seq,
          now: clock.now,
          handle: () => handled.push(node),
          send: (to, message) => sender.send(to, message),
        }),
      );
    }
    routers.get('root-1')!.originate('confirm_deploy', { topologyId: 't1' });
    for (let i = 0; i < 10; i++) await settle();
    expect(handled.sort()).toEqual(['leaf-4-1', 'root-3', 'root-4']);
    expect(clock.now()).toBe(1_700_000_000_000);
  });
});
