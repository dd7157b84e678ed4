// Scenario 2: broadcast fan-out to many clients — (a) paced, (b) spread burst, (c) tick burst.
import type { BroadcastReceipt } from '../load/broadcast-recorder.js';
import type { BroadcastArgs, BroadcastStart, ServerMark } from '../server-commands.js';
import { concatSamples, median, percentile } from '../stats.js';
import { connectClients, cpuPer, type Scenario, type TrialContext } from './types.js';

export interface Round {
  start: BroadcastStart;
  end: ServerMark;
  deliveries: number;
  latencies: Float64Array;
  lastPerSeq: number[];
  lastAt: number;
  /** Load-process CPU µs spent receiving (all loaders). */
  clientCpu: number;
}

/** One measured round: arm the receivers, let the server broadcast, wait for every delivery. */
export async function round(
  ctx: TrialContext,
  mode: BroadcastArgs['mode'],
  count: number,
  payload: Pick<BroadcastArgs, 'payload' | 'payloadBytes'> = {
    payloadBytes: ctx.config.broadcast.payloadBytes,
  },
): Promise<Round> {
  await Promise.all(ctx.loaders.map((l) => l.call('bcastArm', { count })));
  const args: BroadcastArgs = {
    mode,
    count,
    intervalMs: ctx.config.broadcast.intervalMs,
    ...payload,
  };
  const { start, receipts, end } = await ctx.window(async () => {
    const start = await ctx.server.call<BroadcastStart>('broadcast', args, 60_000);
    const receipts = await Promise.all(
      ctx.loaders.map((l) => l.call<BroadcastReceipt>('bcastWait', { timeoutMs: 30_000 }, 40_000)),
    );
    const end = await ctx.server.call<ServerMark>('mark');
    return { start, receipts, end };
  });
  const deliveries = receipts.reduce((n, r) => n + r.deliveries, 0);
  const expected = receipts.reduce((n, r) => n + r.expected, 0);
  if (deliveries !== expected) {
    throw new Error(`${mode}: ${deliveries} of ${expected} deliveries arrived`);
  }
  const lastPerSeq = Array.from({ length: count }, (_, i) =>
    Math.max(...receipts.map((r) => r.lastPerSeq[i] ?? 0)),
  );
  return {
    start,
    end,
    deliveries,
    latencies: concatSamples(receipts.map((r) => r.latencies)),
    lastPerSeq,
    lastAt: Math.max(...receipts.map((r) => r.lastAt)),
    clientCpu: receipts.reduce((n, r) => n + r.cpu, 0),
  };
}

export const broadcastScenario: Scenario = {
  id: 'broadcast',
  title: 'Broadcast fan-out',
  impls: ['smartsocket', 'socket.io', 'ws', 'ws-once'],
  async run(ctx) {
    const cfg = ctx.config.broadcast;
    await connectClients(ctx, cfg.clients, 50);
    if (cfg.warmupCount > 0) await round(ctx, 'spread', cfg.warmupCount);
    const paced = await round(ctx, 'paced', cfg.pacedCount);
    const spread = await round(ctx, 'spread', cfg.burstCount);
    const tick = await round(ctx, 'tick', cfg.burstCount);
    const pacedCpu = cpuPer(paced.start.cpu, paced.end.cpu, paced.deliveries);
    const rate = (r: Round) => r.deliveries / ((r.lastAt - r.start.at) / 1000);
    const spreadCpu = cpuPer(spread.start.cpu, spread.end.cpu, spread.deliveries);
    const tickCpu = cpuPer(tick.start.cpu, tick.end.cpu, tick.deliveries);
    return {
      'paced.p50': percentile(paced.latencies, 50),
      'paced.p99': percentile(paced.latencies, 99),
      'paced.lastClient': median(paced.lastPerSeq),
      'paced.cpuPerDelivery': pacedCpu.total,
      'paced.clientCpuPerDelivery': paced.clientCpu / paced.deliveries,
      'spread.deliveriesPerSec': rate(spread),
      'spread.cpuPerDelivery': spreadCpu.total,
      'spread.cpuUserPerDelivery': spreadCpu.user,
      'spread.cpuSysPerDelivery': spreadCpu.system,
      'spread.clientCpuPerDelivery': spread.clientCpu / spread.deliveries,
      'tick.deliveriesPerSec': rate(tick),
      'tick.cpuPerDelivery': tickCpu.total,
      'tick.cpuUserPerDelivery': tickCpu.user,
      'tick.cpuSysPerDelivery': tickCpu.system,
      'tick.clientCpuPerDelivery': tick.clientCpu / tick.deliveries,
    };
  },
};
