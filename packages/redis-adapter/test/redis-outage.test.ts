// Redis killed and restarted mid-traffic: no crash, local delivery meanwhile, fail-fast requests
// (ERR_CLUSTER_001), nothing buffered, rate-limited logs, and cross-server delivery resumes by itself.
import type { SmartSocket } from '@smartsocket/server';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RedisAdapterOptions } from '../src/index.js';
import { Fixture, next } from './support/cluster-fixture.js';
import { recordingLogger } from './support/recording-logger.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (err: { code?: string }) => err.code ?? String(err),
  );

function ask(server: SmartSocket): Promise<{ err: Error | null; res: unknown[] }> {
  return new Promise((resolve) =>
    server
      .namespace('/')
      .serverSideEmit('ping', (err: Error | null, res: unknown[]) => resolve({ err, res })),
  );
}

describe.each([
  ['ioredis', 'ioredis'],
  ['node-redis', 'redis'],
] as const)('a Redis outage (%s)', (_name, library) => {
  const logger = recordingLogger();
  // The ioredis run hands in its own client with the offline queue ON (ioredis' default), to
  // show the adapter itself never queues publishes while Redis is away.
  let client: Redis | undefined;
  const fx = new Fixture((): RedisAdapterOptions => {
    if (library === 'redis') return { url: redis.url, library, logger };
    client = new Redis(redis.url);
    clients.push(client);
    return { client, logger };
  });
  const clients: Redis[] = [];
  afterEach(async () => {
    await fx.close();
    for (const c of clients.splice(0)) c.disconnect();
    if (!redis.pid) await redis.start();
  });

  it('degrades to local delivery, fails requests fast, buffers nothing and resumes', async () => {
    const [a, b] = await fx.start(2);
    for (const s of [a, b])
      s!.namespace('/').onServerSideEmit('ping', (ack: (r: string) => void) => ack('pong'));
    const onA = await fx.connect(a!);
    const onB = await fx.connect(b!);
    const ticksA: unknown[] = [];
    onA.on('tick', (n: unknown) => ticksA.push(n));
    const firstOnB = next(onB, 'tick');

    // Traffic from A all along: 10 broadcasts per 10 ms, bounded.
    let sent = 0;
    const traffic = setInterval(() => {
      for (let i = 0; i < 10 && sent < 20_000; i++) a!.emit('tick', sent++);
    }, 10);
    try {
      await firstOnB;
      await redis.stop();
      await expect
        .poll(() => codeOf(a!.fetchSockets()), { timeout: 10_000 })
        .toBe('ERR_CLUSTER_001');
      const down = await ask(a!);
      expect((down.err as { code?: string } | null)?.code).toBe('ERR_CLUSTER_001');
      const sentWhileDown = sent;
      const errorsWhileDown = logger.lines.filter((l) => l.level === 'error').length;
      // Local delivery goes on while Redis is down.
      await expect
        .poll(() => ticksA.length, { timeout: 10_000 })
        .toBeGreaterThan(sentWhileDown + 200);
      if (client)
        expect(
          (client as unknown as { offlineQueue: { length: number } }).offlineQueue.length,
        ).toBe(0);
      // A few log lines for the whole outage, not one per broadcast.
      expect(logger.lines.filter((l) => l.level === 'error').length - errorsWhileDown).toBeLessThan(
        10,
      );

      await redis.start();
      await expect.poll(() => codeOf(a!.fetchSockets()), { timeout: 15_000 }).toBe('ok');
      await fx.converge([a!, b!]);
      expect(await a!.fetchSockets()).toHaveLength(2);
      expect((await ask(a!)).res).toEqual(['pong']);
      const after = next(onB, 'after');
      a!.emit('after', 'back');
      expect(await after).toBe('back');
    } finally {
      clearInterval(traffic);
    }
    expect(ticksA.length).toBe(sent);
  }, 60_000);
});
