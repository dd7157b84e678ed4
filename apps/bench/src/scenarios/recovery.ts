// Scenario 7: SmartSocket with enableMessageCache (every socket recoverable, every broadcast
// positioned and logged): broadcast CPU per delivery and heap per idle connection, to read next
// to the broadcast and memory scenarios' SmartSocket rows (recovery off) of the same run.
import { round } from './broadcast.js';
import { measureIdleMemory } from './memory.js';
import { connectClients, cpuPer, type Scenario } from './types.js';

export const recoveryScenario: Scenario = {
  id: 'recovery',
  title: 'Broadcast and idle memory with recovery on (SmartSocket)',
  impls: ['smartsocket'],
  variant: { compression: false, recovery: true },
  async run(ctx) {
    const cfg = ctx.config.recovery;
    await connectClients(ctx, cfg.clients, 50);
    await round(ctx, 'spread', 5);
    const spread = await round(ctx, 'spread', cfg.count);
    const tick = await round(ctx, 'tick', cfg.count);
    await Promise.all(ctx.loaders.map((l) => l.call('closeAll')));
    await ctx.server.call('waitConnections', { count: 0, timeoutMs: 20_000 }, 25_000);
    const memory = await measureIdleMemory(ctx, {
      conns: cfg.idleConns,
      concurrency: cfg.concurrency,
    });
    return {
      'recovery.spreadCpuPerDelivery': cpuPer(spread.start.cpu, spread.end.cpu, spread.deliveries)
        .total,
      'recovery.tickCpuPerDelivery': cpuPer(tick.start.cpu, tick.end.cpu, tick.deliveries).total,
      'recovery.heapPerConn': memory.heapPerConn,
    };
  },
};
