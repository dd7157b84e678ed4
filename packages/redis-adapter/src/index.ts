// @smartsocket/redis-adapter — many SmartSocket servers over one Redis act as one; an emitter for workers.
export { keySlot } from './key-slot.js';
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
export {
  type RedisLibrary,
  RedisTransport,
  type RedisTransportOptions,
} from './redis-transport.js';
