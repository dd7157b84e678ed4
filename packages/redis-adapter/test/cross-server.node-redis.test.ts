// The cross-server suite with node-redis (`redis`) on a real redis-server.
import { afterAll, beforeAll } from 'vitest';
import { crossServerSuite } from './support/cross-server-suite.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

crossServerSuite('node-redis, from a URL', () => ({ url: redis.url, library: 'redis' }));
