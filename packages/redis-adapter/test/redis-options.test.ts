// Options of createRedisAdapter/createRedisEmitter are validated at once with ERR_CONFIG_001.
import { describe, expect, it } from 'vitest';
import { createRedisAdapter, createRedisEmitter, redisAdapterDefaults } from '../src/index.js';
import { keySlot } from '../src/key-slot.js';

const url = 'redis://127.0.0.1:6390';

describe('options', () => {
  it('documents its defaults', () => {
    expect(redisAdapterDefaults).toMatchObject({
      library: 'ioredis',
      sharded: false,
      keyPrefix: 'smartsocket',
      requestsTimeout: 5000,
      heartbeatInterval: 5000,
      heartbeatTimeout: 10_000,
      roomLinger: 1000,
    });
  });

  it.each([
    [{}],
    [{ url, client: {} }],
    [{ url: 'http://x' }],
    [{ pubClient: {} }],
    [{ url, library: 'valkey' }],
    [{ url, sharded: 'yes' }],
    [{ url, keyPrefix: '' }],
    [{ url, keyPrefix: 'a#b' }],
    [{ url, requestsTimeout: 0 }],
    [{ url, heartbeatInterval: Number.NaN }],
    [{ url, heartbeatInterval: 5000, heartbeatTimeout: 4000 }],
    [{ url, roomLinger: -1 }],
  ])('rejects %j', (options) => {
    expect(() => createRedisAdapter(options as never)).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001' }),
    );
  });

  it('the emitter validates too, and connects lazily', async () => {
    expect(() => createRedisEmitter({ url, connectTimeout: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001' }),
    );
    const emitter = createRedisEmitter({ url });
    await emitter.close();
  });

  it('computes Redis Cluster slots like Redis (hash tags included)', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('123456789')).toBe(12739);
  });
});
