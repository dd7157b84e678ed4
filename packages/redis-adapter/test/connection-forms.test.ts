// The connection forms besides `{ url }`: separate pub/sub clients the application owns (left
// open when the server stops), and an existing node-redis client whose server restarts.
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, next } from './support/cluster-fixture.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe('connection forms', () => {
  const owned: Array<{ disconnect(): unknown }> = [];
  afterEach(() => {
    for (const c of owned.splice(0)) c.disconnect();
  });

  describe('pubClient + subClient (ioredis)', () => {
    const fx = new Fixture(() => {
      const pubClient = new Redis(redis.url);
      const subClient = new Redis(redis.url);
      owned.push(pubClient, subClient);
      return { pubClient, subClient };
    });
    afterEach(() => fx.close());

    it('crosses servers, and leaves the clients open when the servers stop', async () => {
      const [a, b] = await fx.start(2);
      const onB = await fx.connectInRoom(b!, 'r');
      const got = next(onB, 'hi');
      a!.to('r').emit('hi', 1);
      expect(await got).toBe(1);
      await fx.close();
      expect(owned.every((c) => (c as Redis).status === 'ready')).toBe(true);
    });
  });

  describe('an existing node-redis client', () => {
    const fx = new Fixture(() => {
      const client = createClient({ url: redis.url });
      void client.connect();
      owned.push({ disconnect: () => client.destroy() });
      return { client };
    });
    afterEach(() => fx.close());

    it('serves a server that is stopped and started again', async () => {
      const [a, b] = await fx.start(2);
      await b!.stop();
      await b!.start();
      await fx.converge([a!, b!]);
      const onB = await fx.connect(b!);
      const got = next(onB, 'again');
      a!.emit('again', 2);
      expect(await got).toBe(2);
    });
  });
});
