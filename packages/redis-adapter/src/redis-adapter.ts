// createRedisAdapter: the server's `adapter` option for many servers over one Redis.
import { type AdapterFactory, ClusterAdapter } from '@smartsocket/server';
import { type RedisAdapterOptions, resolveRedisOptions } from './redis-options.js';
import { RedisTransport } from './redis-transport.js';

/**
 * The `adapter` option of a SmartSocket server that shares rooms, broadcasts and requests with
 * every other server on the same Redis (the cluster adapter over a {@link RedisTransport}). Call
 * it once per server: every namespace of that server shares its two Redis connections, which
 * open when the server is created (its namespaces subscribe), close when it stops, and open
 * again when it is started after a stop.
 * Options are validated now (`ERR_CONFIG_001`).
 *
 * @example
 * import { createRedisAdapter } from '@smartsocket/redis-adapter';
 * const server = new SmartSocket({
 *   adapter: createRedisAdapter({ url: 'redis://127.0.0.1:6379' }),
 * });
 * server.to('lobby').emit('news', 'hi'); // every server's clients in 'lobby'
 */
export function createRedisAdapter(options: RedisAdapterOptions): AdapterFactory {
  const o = resolveRedisOptions(options);
  const transport = new RedisTransport({
    source: o.source,
    sharded: o.sharded,
    library: o.library,
    logger: o.logger,
    errorLogInterval: o.errorLogInterval,
  });
  const clusterOptions = {
    channelPrefix: o.keyPrefix,
    requestTimeout: o.requestsTimeout,
    heartbeatInterval: o.heartbeatInterval,
    heartbeatTimeout: o.heartbeatTimeout,
    roomLinger: o.roomLinger,
    errorLogInterval: o.errorLogInterval,
    logger: o.logger,
  };
  return (nsp) => new ClusterAdapter(nsp, transport, clusterOptions);
}
