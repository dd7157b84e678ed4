// 10,000 join/leave operations: room channels are subscribed in batches with a linger, so Redis
// sees a bounded number of SUBSCRIBE/UNSUBSCRIBE calls (INFO commandstats) and nothing leaks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adapterOf, Fixture } from './support/cluster-fixture.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const OPS = 10_000;
const PER_TURN = 100; // operations per event-loop turn, like a busy server
// Rooms per socket: each room has at most one member, so every join fills a room and every
// leave empties one, the worst case for subscription churn.
const ROOMS_PER_SOCKET = 25;
const SOCKETS = 20;

function calls(stats: Map<string, number>, command: string): number {
  return stats.get(command) ?? 0;
}

describe('room subscription churn', () => {
  const fx = new Fixture(() => ({ url: redis.url, roomLinger: 200 }));
  afterEach(() => fx.close());

  it(`${OPS} join/leave operations cost a bounded number of SUBSCRIBE calls and leak nothing`, async () => {
    const [a, b] = await fx.start(2);
    for (let i = 0; i < SOCKETS; i++) await fx.connect(a!);
    const sockets = [...a!.sockets.values()];
    const baseChannels = await redis.channels();
    const before = await redis.commandCalls();

    // A deterministic pseudo-random walk (LCG): join or leave a room of one of the sockets.
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    // What one SUBSCRIBE/UNSUBSCRIBE per room that fills/empties would have cost.
    const members = new Map<string, number>();
    let firstJoins = 0;
    let lastLeaves = 0;
    for (let done = 0; done < OPS; ) {
      for (let i = 0; i < PER_TURN; i++, done++) {
        const k = rand(SOCKETS);
        const socket = sockets[k]!;
        const room = `room-${k}-${rand(ROOMS_PER_SOCKET)}`;
        const n = members.get(room) ?? 0;
        if (socket.rooms.has(room)) {
          socket.leave(room);
          members.set(room, n - 1);
          if (n === 1) lastLeaves++;
        } else {
          socket.join(room);
          members.set(room, n + 1);
          if (n === 0) firstJoins++;
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await adapterOf(a!).roomsReady();
    for (const socket of sockets)
      for (const room of [...socket.rooms]) if (room !== socket.id) socket.leave(room);
    // Everything left: after the linger every room channel is gone from Redis.
    await expect
      .poll(async () => (await redis.channels()).sort(), { timeout: 10_000, interval: 50 })
      .toEqual(baseChannels.sort());
    const after = await redis.commandCalls();
    const subscribes = calls(after, 'subscribe') - calls(before, 'subscribe');
    const unsubscribes = calls(after, 'unsubscribe') - calls(before, 'unsubscribe');
    console.log(
      `[churn] ${OPS} join/leave operations (${PER_TURN} per event-loop turn, ${SOCKETS} sockets × ${ROOMS_PER_SOCKET} rooms of one): ` +
        `${subscribes} SUBSCRIBE and ${unsubscribes} UNSUBSCRIBE calls ` +
        `(a room filled ${firstJoins} times and emptied ${lastLeaves} times)`,
    );
    // At most one SUBSCRIBE per event-loop turn, one UNSUBSCRIBE per linger period.
    expect(subscribes).toBeLessThanOrEqual(OPS / PER_TURN + 5);
    expect(unsubscribes).toBeLessThanOrEqual(OPS / PER_TURN + 5);
    expect(subscribes).toBeGreaterThan(0);
    expect(adapterOf(a!).roomChannelCount).toBe(SOCKETS); // the sockets' own id rooms

    // Disconnecting the sockets releases their id rooms too.
    for (const c of fx.clients.splice(0)) c.disconnect();
    await expect.poll(() => adapterOf(a!).roomChannelCount, { timeout: 10_000 }).toBe(0);
    await expect
      .poll(async () => (await redis.channels()).filter((ch) => ch.includes('#room#')), {
        timeout: 10_000,
      })
      .toEqual([]);
    expect(adapterOf(b!).roomChannelCount).toBe(0);
  });
});
