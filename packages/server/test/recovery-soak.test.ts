// Soak: random network cuts (some refusing reconnection for a while) while room broadcasts,
// unicasts and client emits with acks flow; everything arrives exactly once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { CuttingProxy } from './helpers/cutting-proxy.js';
import { realClientAt } from './helpers/real-client.js';
import { Cleanup, once, startServer } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A deterministic pseudo-random sequence (the same cuts on every run). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

for (const transport of ['websocket', 'polling'] as const) {
  describe(`soak (${transport})`, () => {
    it('30 cuts during 2,000 broadcasts, 2,000 unicasts and 2,000 acked emits: exactly once, in order', async () => {
      const N = 2000;
      const CUTS = 30;
      const server = await startServer(cleanup, {
        enableMessageCache: true,
        enableRateLimiting: false,
        messageCacheSize: 10_000,
        heartbeatInterval: 2000,
        heartbeatTimeout: 2000,
      });
      const proxy = await CuttingProxy.start(server.port!);
      cleanup.add(() => proxy.close());
      const connected = once<[Socket]>(server, 'connected');
      const client = await realClientAt(cleanup, `ws://127.0.0.1:${proxy.port}`, {
        transports: [transport],
        maxReconnectAttempts: 100_000,
        reconnectDelay: 10,
        reconnectDelayMax: 50,
        randomizationFactor: 0,
        queueSize: 10_000,
        ackTimeout: 60_000,
      });
      await client.connect();
      const [socket] = await connected;
      socket.join('room');
      const handled: number[] = [];
      socket.on('c', (n: number, ack?: (r: unknown) => void) => {
        handled.push(n);
        ack?.(n);
      });
      const rooms: number[] = [];
      const unicasts: number[] = [];
      client.on('r', (n: number) => rooms.push(n));
      client.on('u', (n: number) => unicasts.push(n));
      const answers = new Map<number, number>();
      const acks: Promise<void>[] = [];
      const rand = random(42);
      let cuts = 0;
      for (let i = 0; i < N; i++) {
        server.to('room').emit('r', i);
        socket.emit('u', i);
        acks.push(
          client.emitWithAck('c', i).then((r: number) => {
            answers.set(i, (answers.get(i) ?? 0) + 1);
            expect(r).toBe(i);
          }),
        );
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 1));
        if (cuts < CUTS && i % Math.floor(N / CUTS) === 33) {
          // Each cut drops a live link (the previous reconnection has completed).
          await until(() => client.connected, 15_000, 'the reconnection before a cut');
          cuts++;
          const refuse = rand() < 0.3;
          proxy.refusing = refuse;
          proxy.cut();
          if (refuse) {
            await new Promise((r) => setTimeout(r, 20 + Math.floor(rand() * 80)));
            proxy.refusing = false;
          }
        }
      }
      await until(
        () => rooms.length >= N && unicasts.length >= N && answers.size >= N,
        45_000,
        `delivery (rooms ${rooms.length}, unicasts ${unicasts.length}, acks ${answers.size})`,
      );
      await Promise.all(acks);
      // A marker after everything: nothing more (no late duplicate) was on its way.
      const marker = new Promise((resolve) => client.once('marker', resolve));
      socket.emit('marker', 1);
      await marker;
      expect(cuts).toBe(CUTS);
      expect(proxy.accepted).toBeGreaterThan(CUTS);
      expect(rooms).toEqual(range(N));
      expect(unicasts).toEqual(range(N));
      expect(handled).toEqual(range(N));
      expect([...answers.values()].every((n) => n === 1)).toBe(true);
      expect(client.id).toBe(socket.id);
    }, 90_000);
  });
}
