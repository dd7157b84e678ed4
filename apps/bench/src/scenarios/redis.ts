// Scenario 6: three servers sharing one local Redis, clients spread over them, broadcasts from one
// server to everyone and to a room with members on two of the three servers.
import type { ChildHandle } from '../child-handle.js';
import type { BroadcastReceipt } from '../load/broadcast-recorder.js';
import { RedisProcess } from '../redis-process.js';
import type { BroadcastArgs, BroadcastStart, ServerMark } from '../server-commands.js';
import { type Scenario, split, type TrialContext } from './types.js';

const ROOM = 'members';

interface Node {
  server: ChildHandle;
  port: number;
  clients: number;
  /** This node's clients held by each loader. */
  perLoader: number[];
}

interface RedisRound {
  deliveries: number;
  /** CPU µs of each server over the round. */
  cpu: number[];
  redisCpu: number;
  seconds: number;
}

const cpuOf = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => b.user - a.user + (b.system - a.system);

// The Redis of the current trial (prepare → run → cleanup run in one trial, one at a time).
let redis: RedisProcess | undefined;

async function measure(
  ctx: TrialContext,
  nodes: Node[],
  count: number,
  room: string | undefined,
): Promise<RedisRound> {
  // Every client receives a broadcast to everyone; only the first two nodes' a room broadcast.
  const receivers = (loader: number) =>
    nodes.reduce(
      (n, node, i) => n + (room === undefined || i < 2 ? node.perLoader[loader]! : 0),
      0,
    );
  await Promise.all(
    ctx.loaders.map((l, i) => l.call('bcastArm', { count, receivers: receivers(i) })),
  );
  const args: BroadcastArgs = {
    mode: 'spread',
    count,
    intervalMs: 0,
    payloadBytes: ctx.config.redis.payloadBytes,
    ...(room === undefined ? {} : { room }),
  };
  return ctx.window(async () => {
    const before = await Promise.all(nodes.slice(1).map((n) => n.server.call<ServerMark>('mark')));
    const redisBefore = await (redis as RedisProcess).cpuMicros();
    const start = await nodes[0]!.server.call<BroadcastStart>('broadcast', args, 60_000);
    const receipts = await Promise.all(
      ctx.loaders.map((l) => l.call<BroadcastReceipt>('bcastWait', { timeoutMs: 30_000 }, 40_000)),
    );
    const after = await Promise.all(nodes.map((n) => n.server.call<ServerMark>('mark')));
    const redisAfter = await (redis as RedisProcess).cpuMicros();
    const deliveries = receipts.reduce((n, r) => n + r.deliveries, 0);
    const expected = receipts.reduce((n, r) => n + r.expected, 0);
    if (deliveries !== expected)
      throw new Error(`${room ?? 'all'}: ${deliveries} of ${expected} deliveries arrived`);
    const starts = [start.cpu, ...before.map((m) => m.cpu)];
    const lastAt = Math.max(...receipts.map((r) => r.lastAt));
    return {
      deliveries,
      cpu: after.map((m, i) => cpuOf(starts[i]!, m.cpu)),
      redisCpu: redisAfter - redisBefore,
      seconds: (lastAt - start.at) / 1000,
    };
  });
}

export const redisScenario: Scenario = {
  id: 'redis',
  title: 'Three servers sharing a Redis',
  impls: ['smartsocket', 'socket.io'],
  async prepare() {
    redis = await RedisProcess.start();
    const started = redis;
    return {
      variant: { compression: false, redisUrl: started.url },
      pids: [started.child.pid ?? -1],
      cleanup: async () => {
        await started.stop();
        if (redis === started) redis = undefined;
      },
    };
  },
  async run(ctx) {
    const cfg = ctx.config.redis;
    const extra = await Promise.all(
      Array.from({ length: cfg.servers - 1 }, () => ctx.spawnServer()),
    );
    const counts = split(cfg.clients, cfg.servers);
    const servers = [{ server: ctx.server, port: ctx.port }, ...extra];
    const nodes: Node[] = servers.map((s, i) => ({
      ...s,
      clients: counts[i]!,
      perLoader: split(counts[i]!, ctx.loaders.length),
    }));
    for (const node of nodes) {
      await Promise.all(
        ctx.loaders.map((l, i) =>
          l.call(
            'connect',
            {
              impl: ctx.impl,
              port: node.port,
              count: node.perLoader[i],
              concurrency: Math.max(1, Math.floor(50 / ctx.loaders.length)),
              variant: ctx.variant,
            },
            120_000,
          ),
        ),
      );
    }
    await Promise.all(
      nodes.map((n) =>
        n.server.call('waitConnections', { count: n.clients, timeoutMs: 20_000 }, 25_000),
      ),
    );
    // Room members on the first two servers; the third has clients but none in the room.
    await Promise.all(nodes.slice(0, 2).map((n) => n.server.call('joinRoom', { room: ROOM })));
    // Warm-up (unmeasured): connections to Redis, code paths, cluster discovery settled.
    await measure(ctx, nodes, Math.max(5, Math.floor(cfg.count / 10)), undefined);
    const all = await measure(ctx, nodes, cfg.count, undefined);
    const room = await measure(ctx, nodes, cfg.count, ROOM);
    const total = (r: RedisRound) => r.cpu.reduce((a, b) => a + b, 0);
    return {
      'redis.all.deliveriesPerSec': all.deliveries / all.seconds,
      'redis.all.cpuPerDelivery': total(all) / all.deliveries,
      'redis.all.redisCpuPerBroadcast': all.redisCpu / cfg.count,
      'redis.room.deliveriesPerSec': room.deliveries / room.seconds,
      'redis.room.cpuPerDelivery': total(room) / room.deliveries,
      'redis.room.idleServerCpuPerBroadcast': (room.cpu[2] ?? 0) / cfg.count,
      'redis.room.idleVsMemberCpu': (room.cpu[2] ?? 0) / (room.cpu[1] ?? 1),
      'redis.room.redisCpuPerBroadcast': room.redisCpu / cfg.count,
    };
  },
};
