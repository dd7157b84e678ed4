// The cross-server suite with sharded pub/sub (SPUBLISH/SSUBSCRIBE) on a real 3-master Redis Cluster,
// with each client library.
import { afterAll, beforeAll } from 'vitest';
import { crossServerSuite } from './support/cross-server-suite.js';
import { type RedisCluster, startRedisCluster } from './support/redis-server.js';

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

crossServerSuite('sharded, ioredis Cluster', () => ({ url: cluster.url, sharded: true }));
crossServerSuite('sharded, node-redis cluster', () => ({
  url: cluster.url,
  sharded: true,
  library: 'redis',
}));
