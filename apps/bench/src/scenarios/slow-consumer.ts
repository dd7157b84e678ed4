// Scenario 8: slow consumers. A burst of large broadcasts to every client, then the same burst
// with some clients not reading: the server's memory must stay within the per-socket bound
// (maxBufferedBytes) and the readers must be as fast as without the stalled ones.
import type { BroadcastReceipt } from '../load/broadcast-recorder.js';
import type { BroadcastStart } from '../server-commands.js';
import { connectClients, type Scenario, split, type TrialContext } from './types.js';

/** One spread burst to `receivers[i]` readers per loader; deliveries per second. */
async function burst(ctx: TrialContext, receivers: number[]): Promise<number> {
  const { count, payloadBytes } = ctx.config.slow;
  await Promise.all(
    ctx.loaders.map((l, i) => l.call('bcastArm', { count, receivers: receivers[i] })),
  );
  return ctx.window(async () => {
    const start = await ctx.server.call<BroadcastStart>(
      'broadcast',
      { mode: 'spread', count, intervalMs: 0, payloadBytes },
      60_000,
    );
    const receipts = await Promise.all(
      ctx.loaders.map((l) => l.call<BroadcastReceipt>('bcastWait', { timeoutMs: 60_000 }, 70_000)),
    );
    const deliveries = receipts.reduce((n, r) => n + r.deliveries, 0);
    const expected = receipts.reduce((n, r) => n + r.expected, 0);
    if (deliveries !== expected) throw new Error(`${deliveries} of ${expected} deliveries arrived`);
    const lastAt = Math.max(...receipts.map((r) => r.lastAt));
    return deliveries / ((lastAt - start.at) / 1000);
  });
}

export const slowConsumerScenario: Scenario = {
  id: 'slow',
  title: 'Slow consumers (SmartSocket)',
  impls: ['smartsocket'],
  async run(ctx) {
    const cfg = ctx.config.slow;
    await connectClients(ctx, cfg.clients, 50);
    const perLoader = split(cfg.clients, ctx.loaders.length);
    const baseline = await burst(ctx, perLoader);
    const stalledPer = split(cfg.stalled, ctx.loaders.length);
    const replies = await Promise.all(
      ctx.loaders.map((l, i) =>
        l.call<{ stalled: number; receivers: number }>('stall', { count: stalledPer[i] }),
      ),
    );
    if (replies.some((r, i) => r.stalled !== stalledPer[i])) throw new Error('could not stall');
    const before = await ctx.server.call<NodeJS.MemoryUsage>('memory');
    const readers = await burst(
      ctx,
      replies.map((r) => r.receivers),
    );
    const after = await ctx.server.call<NodeJS.MemoryUsage>('memory');
    return {
      'slow.rssGrowth': after.rss - before.rss,
      'slow.readersPerSec': readers,
      'slow.baselinePerSec': baseline,
      'slow.rateRatio': readers / baseline,
    };
  },
};
