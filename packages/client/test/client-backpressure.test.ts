// The client's emit path under backpressure: false past half maxBufferedBytes, drain under a quarter.
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { SmartSocket } from '@smartsocket/server';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/options.js';
import { makeClient, memoryLogger, next } from './helpers/setup.js';

/** Forwards to `target`; `stall()` stops reading what the client sends (the server "stops reading"). */
class StallingProxy {
  readonly #pairs: Array<[Socket, Socket]> = [];
  private constructor(private readonly server: Server) {}

  static async start(target: number): Promise<StallingProxy> {
    const server = createServer();
    const proxy = new StallingProxy(server);
    server.on('connection', (client) => {
      const upstream = netConnect(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        s.on('error', () => {});
        s.on('close', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      proxy.#pairs.push([client, upstream]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  stall(): void {
    for (const [client] of this.#pairs) {
      client.unpipe();
      client.pause();
    }
  }

  resume(): void {
    for (const [client, upstream] of this.#pairs) client.pipe(upstream);
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) for (const s of pair) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('client backpressure', () => {
  it('emit turns false while the server side stops reading, drain fires after it resumes, all data arrives', async () => {
    const server = new SmartSocket({
      host: '127.0.0.1',
      port: 0,
      logger: memoryLogger(),
      rateLimitMaxRequests: 100_000,
    });
    await server.start();
    cleanups.push(() => server.stop());
    const proxy = await StallingProxy.start(server.port!);
    cleanups.push(() => proxy.close());
    const bound = 256 * 1024;
    const client = makeClient(`ws://127.0.0.1:${proxy.port}`, {
      maxBufferedBytes: bound,
      enableCompression: false,
      heartbeatInterval: 60_000,
      heartbeatTimeout: 60_000,
    });
    cleanups.push(() => client.disconnect());
    const received: number[] = [];
    server.on('chunk', (_socket: unknown, data: { i: number }) => received.push(data.i));
    const allArrived = new Promise<void>((resolve) => server.on('done', () => resolve()));
    await client.connect();

    proxy.stall();
    const pad = 'x'.repeat(32 * 1024);
    let sent = 0;
    let refusedAt = -1;
    // Kernel buffers on both sides of the proxy absorb a few MB first; bounded at 64 MB.
    while (sent < 2048) {
      const ok = client.emit('chunk', { i: sent++, pad });
      if (!ok) {
        refusedAt = sent;
        break;
      }
      // Let the batch flush to the socket so the kernel buffers (not the batcher) fill.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(refusedAt).toBeGreaterThan(0);
    expect(client.bufferedAmount).toBeGreaterThan(bound / 2);

    const drained = next(client, 'drain');
    proxy.resume();
    await drained;
    expect(client.bufferedAmount).toBeLessThan(bound / 4);

    // Stream the rest with emit + drain, as an app would.
    const total = sent + 64;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (sent < total) if (!client.emit('chunk', { i: sent++, pad })) return;
        client.off('drain', pump);
        resolve();
      };
      client.on('drain', pump);
      pump();
    });
    client.emit('done');
    await allArrived;
    expect(received).toEqual(Array.from({ length: total }, (_, i) => i));
  }, 60_000);

  it('emit returns true under half the bound; volatile and compress variants return it too', async () => {
    const server = new SmartSocket({ host: '127.0.0.1', port: 0, logger: memoryLogger() });
    await server.start();
    cleanups.push(() => server.stop());
    const client = makeClient(`ws://127.0.0.1:${server.port}`, { maxBufferedBytes: 4096 });
    cleanups.push(() => client.disconnect());
    await client.connect();
    expect(client.emit('small', 1)).toBe(true);
    expect(client.volatile.emit('small', 2)).toBe(true);
    expect(client.compress(false).emit('small', 3)).toBe(true);
    // One emit past half the bound sits in the turn's batch: false at once, drain once written.
    const drained = next(client, 'drain');
    expect(client.compress(false).emit('big', 'y'.repeat(8192))).toBe(false);
    await drained;
    expect(client.bufferedAmount).toBeLessThan(1024);
  });

  it('validates maxBufferedBytes with ERR_CONFIG_001', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '1' as unknown as number])
      expect(() => resolveOptions({ maxBufferedBytes: bad })).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG_001' }),
      );
    expect(resolveOptions({}).maxBufferedBytes).toBe(1024 * 1024);
  });
});
