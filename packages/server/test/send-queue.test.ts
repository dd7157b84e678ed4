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

function transport(send: (bytes: Uint8Array) => void): Transport {
  return {
    name: 'websocket',
    bufferedAmount: 0,
    saturated: false,
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
