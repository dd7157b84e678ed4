// Options of createRedisAdapter and createRedisEmitter: one interface, one defaults object, validated once.
import { createLogger, type Logger } from '@smartsocket/logger';
import { SmartSocketError } from '@smartsocket/protocol';
import type { DriverSource } from './redis-driver.js';
import type { RedisLibrary } from './redis-transport.js';

/** Where the Redis connections come from: exactly one of `url`, `client`, `pubClient`+`subClient`. */
export interface RedisConnectionOptions {
  /** A Redis URL, e.g. `redis://127.0.0.1:6379` (with `sharded`, any node of the cluster). */
  url?: string;
  /**
   * An existing client: ioredis `Redis`/`Cluster` or node-redis client/cluster (connected or
   * connecting). The adapter publishes on it and subscribes on a duplicate; it never closes it.
   */
  client?: object;
  /** An existing publishing client, with `subClient`: the adapter closes neither. */
  pubClient?: object;
  /** An existing client dedicated to subscriptions (same library as `pubClient`). */
  subClient?: object;
  /** The library `url` connects with. @default 'ioredis' */
  library?: RedisLibrary;
  /** Sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`, Redis ≥ 7) for Redis Cluster. @default false */
  sharded?: boolean;
  /** Prefix of every channel name (several apps can share one Redis). @default 'smartsocket' */
  keyPrefix?: string;
}

/** Options of `createRedisAdapter`. */
export interface RedisAdapterOptions extends RedisConnectionOptions {
  /** Ms a cross-server request (`fetchSockets`, `serverSideEmit` with ack) waits. @default 5000 */
  requestsTimeout?: number;
  /** Ms between the heartbeats each server publishes. @default 5000 */
  heartbeatInterval?: number;
  /** Ms of silence after which a server counts as gone (two intervals). @default 10000 */
  heartbeatTimeout?: number;
  /**
   * Ms a room channel stays subscribed (at least; at most twice) after the room's last local
   * member left. @default 1000
   */
  roomLinger?: number;
  /** Ms between two log lines about the same kind of Redis failure. @default 5000 */
  errorLogInterval?: number;
  /** Where errors are logged. @default createLogger('redis-adapter') */
  logger?: Logger;
}

/**
 * Defaults of {@link RedisAdapterOptions}.
 *
 * @example
 * createRedisAdapter({ url, heartbeatInterval: redisAdapterDefaults.heartbeatInterval / 5 });
 */
export const redisAdapterDefaults = {
  library: 'ioredis',
  sharded: false,
  keyPrefix: 'smartsocket',
  requestsTimeout: 5000,
  heartbeatInterval: 5000,
  heartbeatTimeout: 10_000,
  roomLinger: 1000,
  errorLogInterval: 5000,
} as const;

/** Options after defaults and validation. */
export type ResolvedRedisOptions = Required<
  Omit<RedisAdapterOptions, 'url' | 'client' | 'pubClient' | 'subClient' | 'logger'>
> & { source: DriverSource; logger: Logger };

function fail(message: string): never {
  throw new SmartSocketError('ERR_CONFIG_001', message);
}

function connectionSource(o: RedisConnectionOptions): DriverSource {
  const given = ['url', 'client', 'pubClient'].filter(
    (k) => o[k as keyof RedisConnectionOptions] !== undefined,
  );
  if (given.length !== 1) fail('give exactly one of url, client, or pubClient with subClient');
  if (o.url !== undefined) {
    if (typeof o.url !== 'string' || !/^rediss?:\/\//.test(o.url))
      fail('url must be a redis:// or rediss:// URL');
    return { kind: 'url', url: o.url };
  }
  if (o.client !== undefined) {
    if (typeof o.client !== 'object' || o.client === null) fail('client must be a Redis client');
    return { kind: 'client', client: o.client };
  }
  if (typeof o.pubClient !== 'object' || o.pubClient === null)
    fail('pubClient must be a Redis client');
  if (typeof o.subClient !== 'object' || o.subClient === null)
    fail('subClient must be given with pubClient');
  return { kind: 'pair', pubClient: o.pubClient, subClient: o.subClient };
}

/** Merges defaults and validates; throws `ERR_CONFIG_001` naming the bad option. */
export function resolveRedisOptions(user: RedisAdapterOptions): ResolvedRedisOptions {
  if (typeof user !== 'object' || user === null) fail('options must be an object');
  const o = { ...redisAdapterDefaults, ...user };
  const source = connectionSource(o);
  if (o.library !== 'ioredis' && o.library !== 'redis')
    fail("library must be 'ioredis' or 'redis'");
  if (typeof o.sharded !== 'boolean') fail('sharded must be a boolean');
  if (typeof o.keyPrefix !== 'string' || o.keyPrefix === '' || o.keyPrefix.includes('#'))
    fail('keyPrefix must be a non-empty string without "#"');
  for (const name of ['requestsTimeout', 'heartbeatInterval', 'heartbeatTimeout'] as const) {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      fail(`${name} must be a positive number of ms`);
  }
  for (const name of ['roomLinger', 'errorLogInterval'] as const) {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      fail(`${name} must be a number of ms ≥ 0`);
  }
  if (o.heartbeatTimeout <= o.heartbeatInterval)
    fail('heartbeatTimeout must be longer than heartbeatInterval');
  return {
    library: o.library,
    sharded: o.sharded,
    keyPrefix: o.keyPrefix,
    requestsTimeout: o.requestsTimeout,
    heartbeatInterval: o.heartbeatInterval,
    heartbeatTimeout: o.heartbeatTimeout,
    roomLinger: o.roomLinger,
    errorLogInterval: o.errorLogInterval,
    source,
    logger: user.logger ?? createLogger('redis-adapter'),
  };
}
