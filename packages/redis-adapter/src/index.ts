// @smartsocket/redis-adapter — many SmartSocket servers over one Redis act as one; an emitter for workers.
export { createRedisAdapter } from './redis-adapter.js';
export {
  createRedisEmitter,
  type RedisEmitter,
  type RedisEmitterOptions,
} from './redis-emitter.js';
export {
  type RedisAdapterOptions,
  type RedisConnectionOptions,
  redisAdapterDefaults,
} from './redis-options.js';
export type { RedisLibrary } from './redis-transport.js';
