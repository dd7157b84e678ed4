// The send queue's flush microtask: a failing write is reported, never thrown, and never stops
// the other queues of the same pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SendQueue } from '../src/send-queue.js';
import type { Transport } from '../src/transport.js';

const faults: unknown[] = [];
const onFault = (e: unknown): void => {
  faults.push(e);
};
beforeEach(() => {
  faults.length = 0;
  process.on('uncaughtException', onFault);
});
afterEach(() => {
  process.off('uncaughtException', onFault);
});

function transport(send: (bytes: Uint8Array) => void, saturated = false): Transport {
  return {
    name: 'websocket',
    bufferedAmount: 0,
    saturated,
    open: true,
    setHandlers() {},
    send,
    close() {},
    terminate() {},
  };
}

describe('SendQueue flush failures', () => {
  it('are reported to the hooks; the other queues of the pass still flush', async () => {
    const reported: unknown[] = [];
    const hooks = { onDrop() {}, reportError: (e: unknown) => reported.push(e) };
    const boom = new Error('socket write failed');
    const sent: Uint8Array[] = [];
    const failing = new SendQueue(
      transport(() => {
        throw boom;
      }),
      1024,
      hooks,
    );
    const healthy = new SendQueue(
      transport((b) => sent.push(b)),
      1024,
      hooks,
    );
    failing.push(Uint8Array.of(1), false);
    healthy.push(Uint8Array.of(2), false);
    // The flush runs in a microtask; a macrotask later any escaped throw would have fired.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reported).toEqual([boom]);
    expect(sent).toEqual([Uint8Array.of(2)]);
    expect(faults).toEqual([]);
  });
});

describe('SendQueue bound', () => {
  const frame = (n: number, fill: number) => new Uint8Array(n).fill(fill);

  it('past the bound: volatile dropped, then the oldest waiting frames (ack-less first, ack waiters failed)', () => {
    const drops: string[] = [];
    const failedAcks: number[] = [];
    const hooks = { onDrop: (r: string) => drops.push(r), reportError() {} };
    const owner = { ackDropped: (id: number) => failedAcks.push(id) };
    // A saturated transport: everything waits in the queue, where it can still be dropped.
    const queue = new SendQueue(
      transport(() => {}, true),
      100,
      hooks,
      owner,
    );
    expect(queue.push(frame(40, 1), false, 7)).toBe(0);
    expect(queue.push(frame(40, 2), false)).toBe(0);
    expect(queue.push(frame(30, 3), true)).toBe(1); // volatile, would pass 100
    expect(queue.push(frame(30, 4), false)).toBe(0); // the ack-less 40 goes first
    expect(drops).toEqual(['volatile', 'oldest']);
    expect(failedAcks).toEqual([]);
    expect(queue.push(frame(70, 5), false)).toBe(0); // then the 30, then the ack waiter 7
    expect(failedAcks).toEqual([7]);
    expect(queue.pendingBytes).toBe(70);
  });

  it('with slowConsumerCut a full buffer answers OVER and drops nothing', () => {
    const hooks = { onDrop() {}, reportError() {} };
    const queue = new SendQueue(
      transport(() => {}, true),
      100,
      hooks,
      undefined,
      true,
    );
    expect(queue.push(frame(80, 1), false)).toBe(0);
    expect(queue.push(frame(30, 2), false)).toBe(2);
    expect(queue.pendingBytes).toBe(80);
  });
});
