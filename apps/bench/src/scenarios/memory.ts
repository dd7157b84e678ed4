// Scenario 3: server memory per idle connection after GC, baseline subtracted.
import { type ConnectSpread, connectClients, type Scenario, type TrialContext } from './types.js';

/** What `measureIdleMemory` reports, in bytes. */
export interface IdleMemory {
  heapPerConn: number;
  rssPerConn: number;
  /** The server's whole RSS and heapUsed while it holds the connections (after GC). */
  rss: number;
  heapUsed: number;
}

/** Server heap and RSS per idle client after GC (`cfg.conns` clients), baseline subtracted. */
export async function measureIdleMemory(
  ctx: TrialContext,
  cfg: { conns: number; concurrency: number },
  spread: ConnectSpread = {},
): Promise<IdleMemory> {
  // Warm the connection path once so lazily loaded code is in the baseline, not in the per-conn figure.
  await connectClients(ctx, Math.min(20, cfg.conns), 20, spread);
  await Promise.all(ctx.loaders.map((l) => l.call('closeAll')));
  await ctx.server.call('waitConnections', { count: 0, timeoutMs: 10_000 }, 15_000);
  const base = await ctx.server.call<NodeJS.MemoryUsage>('memory');
  const after = await ctx.window(async () => {
    await connectClients(ctx, cfg.conns, cfg.concurrency, spread);
    return ctx.server.call<NodeJS.MemoryUsage>('memory');
  });
  return {
    heapPerConn: (after.heapUsed - base.heapUsed) / cfg.conns,
    rssPerConn: (after.rss - base.rss) / cfg.conns,
    rss: after.rss,
    heapUsed: after.heapUsed,
  };
}

export const memoryScenario: Scenario = {
  id: 'memory',
  title: 'Memory per idle connection',
  impls: ['smartsocket', 'socket.io', 'ws'],
  async run(ctx) {
    const m = await measureIdleMemory(ctx, ctx.config.memory);
    return { 'memory.heapPerConn': m.heapPerConn, 'memory.rssPerConn': m.rssPerConn };
  },
};
