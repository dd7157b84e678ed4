// createRedisEmitter: a process without a server reaches namespaces, rooms and socket ids of every
// server, with to/except/volatile/compress, and is never counted as a server.
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisEmitter, type RedisEmitter } from '../src/index.js';
import { adapterOf, collect, Fixture, next } from './support/cluster-fixture.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe('createRedisEmitter', () => {
  const fx = new Fixture(() => ({ url: redis.url }));
  const emitters: RedisEmitter[] = [];
  afterEach(async () => {
    await Promise.all(emitters.splice(0).map((e) => e.close()));
    await fx.close();
  });

  it('emits to everyone, a room minus a room, a socket id and another namespace', async () => {
    const [a, b] = await fx.start(2);
    a!.namespace('/quiz');
    b!.namespace('/quiz');
    await fx.converge([a!, b!], '/quiz');
    const red = await fx.connectInRoom(a!, 'red');
    const redBlue = await fx.connectInRoom(b!, 'red');
    await redBlue.emitWithAck('join', 'blue');
    const quiz = await fx.connect(b!, '/quiz');
    const emitter = createRedisEmitter({ url: redis.url });
    emitters.push(emitter);

    const all = [next(red, 'all'), next(redBlue, 'all')];
    await emitter.emit('all', { n: 1 });
    expect(await Promise.all(all)).toEqual([{ n: 1 }, { n: 1 }]);

    const redOnly = [collect(red, 'red'), collect(redBlue, 'red')];
    const direct = [collect(red, 'direct'), collect(redBlue, 'direct')];
    const gotRed = next(red, 'red');
    const gotDirect = next(redBlue, 'direct');
    await emitter
      .to('red')
      .except('blue')
      .volatile.compress(false)
      .emit('red', new Uint8Array([1, 2]));
    await emitter.to(redBlue.id!).emit('direct', 'only you');
    const quizGot = next(quiz, 'question');
    await emitter.of('/quiz').emit('question', 7);
    expect(await gotRed).toEqual(new Uint8Array([1, 2]));
    expect(await gotDirect).toBe('only you');
    expect(await quizGot).toBe(7);
    // Markers on the same channels prove nothing else was on its way.
    const markers = [next(red, 'marker'), next(redBlue, 'marker')];
    await emitter.to('red').emit('marker');
    await emitter.emit('marker');
    await Promise.all(markers);
    expect(redOnly).toEqual([[new Uint8Array([1, 2])], []]);
    expect(direct).toEqual([[], ['only you']]);
    // The emitter is not a server.
    expect(adapterOf(a!).serverCount()).toBe(2);
  });

  it('works over a node-redis client it does not own, and rejects when Redis is unreachable', async () => {
    const [a] = await fx.start(1);
    const client = createClient({ url: redis.url });
    await client.connect();
    const errorListeners = client.listenerCount('error');
    try {
      const emitter = createRedisEmitter({ client });
      emitters.push(emitter);
      const onA = await fx.connect(a!);
      const got = next(onA, 'hi');
      await emitter.emit('hi', 'from a worker');
      expect(await got).toBe('from a worker');
      await emitter.close();
      expect(client.isOpen).toBe(true);
      // Its listeners leave with it (a client the application owns must not collect them).
      expect(client.listenerCount('error')).toBe(errorListeners);
    } finally {
      client.destroy();
    }
    const nowhere = createRedisEmitter({ url: 'redis://127.0.0.1:1', connectTimeout: 300 });
    emitters.push(nowhere);
    await expect(nowhere.emit('x')).rejects.toMatchObject({ code: 'ERR_CLUSTER_001' });
  });
});
