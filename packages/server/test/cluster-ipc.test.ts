// The node:cluster bus without processes: worker transports and the primary relay wired through
// fake IPC endpoints (JSON copies, as node:cluster's default serialization makes).

import type { Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createIpcTransport, setupPrimary } from '../src/node-cluster.js';

class FakeCluster extends EventEmitter {
  isPrimary = true;
}

/** A worker as the primary sees it, and the worker's own `process` end. */
function fakeWorker(cluster: FakeCluster, id: number) {
  const ipc = Object.assign(new EventEmitter(), {
    connected: true,
    send(message: unknown): boolean {
      const copy = JSON.parse(JSON.stringify(message));
      queueMicrotask(() => cluster.emit('message', worker, copy));
      return true;
    },
  });
  const worker = {
    id,
    isConnected: () => ipc.connected,
    send(message: unknown): boolean {
      const copy = JSON.parse(JSON.stringify(message));
      queueMicrotask(() => ipc.emit('message', copy));
      return true;
    },
  } as unknown as Worker;
  return { ipc, worker };
}

const flush = () => new Promise((r) => setTimeout(r, 5));

describe('node:cluster IPC bus', () => {
  it('relays a publish to the other subscribed transports once, and to its own locally', async () => {
    const cluster = new FakeCluster();
    const relay = setupPrimary(cluster);
    const one = fakeWorker(cluster, 1);
    const two = fakeWorker(cluster, 2);
    const a = createIpcTransport(one.ipc);
    const b = createIpcTransport(two.ipc);
    const c = createIpcTransport(two.ipc); // a second server in worker 2
    const got: string[] = [];
    const on = (name: string) => (bytes: Uint8Array) =>
      got.push(`${name}:${Buffer.from(bytes).toString()}`);
    await a.subscribe(['x'], on('a'));
    await b.subscribe('x', on('b'));
    await c.subscribe(['y'], on('c'));
    await flush();
    expect(relay.channelCount).toBe(2);
    a.publish('x', new TextEncoder().encode('hi'));
    a.publish('y', new TextEncoder().encode('yo'));
    await flush();
    expect(got.sort()).toEqual(['a:hi', 'b:hi', 'c:yo']);

    got.length = 0;
    await b.unsubscribe?.('x');
    await flush();
    a.publish('x', new TextEncoder().encode('again'));
    await flush();
    expect(got).toEqual(['a:again']);
    relay.close();
  });

  it('forgets the subscriptions of a worker that exits; reports a closed IPC channel', async () => {
    const cluster = new FakeCluster();
    const relay = setupPrimary(cluster);
    const one = fakeWorker(cluster, 1);
    const t = createIpcTransport(one.ipc);
    const changes: boolean[] = [];
    t.onConnectionChange?.((up) => changes.push(up));
    await t.subscribe(['p', 'q'], () => {});
    await flush();
    expect(relay.channelCount).toBe(2);
    cluster.emit('exit', one.worker);
    expect(relay.channelCount).toBe(0);
    one.ipc.connected = false;
    one.ipc.emit('disconnect');
    expect(t.connected).toBe(false);
    expect(changes).toEqual([false]);
    expect(() => t.publish('p', new Uint8Array(1))).toThrow(
      expect.objectContaining({ code: 'ERR_CLUSTER_001' }),
    );
    await t.close();
    expect(one.ipc.listenerCount('message')).toBe(0);
    relay.close();
  });

  it('ignores the app’s own IPC messages and malformed bus messages', async () => {
    const cluster = new FakeCluster();
    const relay = setupPrimary(cluster);
    const one = fakeWorker(cluster, 1);
    cluster.emit('message', one.worker, { hello: 'app' });
    cluster.emit('message', one.worker, { tag: 'smartsocket:bus', op: 'sub', t: 'x', ch: 'c' });
    cluster.emit('message', one.worker, null);
    expect(relay.channelCount).toBe(0);
    relay.close();
  });

  it('refuses to run on the wrong side: ERR_CONFIG_001', () => {
    expect(() => createIpcTransport({ on() {}, off() {} })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001' }),
    );
    const worker = new FakeCluster();
    worker.isPrimary = false;
    expect(() => setupPrimary(worker)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_001' }));
  });
});
