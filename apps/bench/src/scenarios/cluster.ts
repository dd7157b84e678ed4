// Scenario 11: echo against one process, then against a node:cluster primary with two workers on
// the same machine (connections spread by the primary's round robin), same load.
import { delay } from '../clock.js';
import { ClusterProcess } from '../cluster-process.js';
import type { EchoMark } from '../load/echo-load.js';
import { measureEcho } from './echo.js';
import type { Scenario, TrialContext } from './types.js';
import { split } from './types.js';

async function measureClusterEcho(
  ctx: TrialContext,
  cluster: ClusterProcess,
): Promise<{ msgsPerSec: number; cpuPerMsg: number }> {
  const cfg = ctx.config.cluster;
  const counts = split(cfg.conns, ctx.loaders.length);
  const per = Math.max(1, Math.floor(50 / ctx.loaders.length));
  await Promise.all(
    ctx.loaders.map((l, i) =>
      l.call(
        'connect',
        {
          impl: ctx.impl,
          port: cluster.port,
          count: counts[i],
          concurrency: per,
          variant: ctx.variant,
        },
        120_000,
      ),
    ),
  );
  await Promise.all(
    ctx.loaders.map((l) =>
      l.call('echoStart', { inFlight: cfg.inFlight, payloadBytes: cfg.payloadBytes }),
    ),
  );
  await delay(cfg.warmupMs);
  const result = await ctx.window(async () => {
    await Promise.all(ctx.loaders.map((l) => l.call<EchoMark>('echoMark')));
    const cpu0 = cluster.cpuMicros();
    const t0 = performance.now();
    await delay(cfg.windowMs);
    const marks = await Promise.all(ctx.loaders.map((l) => l.call<EchoMark>('echoMark')));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cluster.cpuMicros() - cpu0;
    const received = marks.reduce((n, m) => n + m.received, 0);
    if (received <= 0) throw new Error('no echo completed in the cluster window');
    return { msgsPerSec: received / seconds, cpuPerMsg: cpu / received };
  });
  await Promise.all(ctx.loaders.map((l) => l.call('echoStop', { timeoutMs: 5000 }, 10_000)));
  await Promise.all(ctx.loaders.map((l) => l.call('closeAll')));
  return result;
}

export const clusterScenario: Scenario = {
  id: 'cluster',
  title: 'Echo on node:cluster workers vs one process',
  impls: ['smartsocket'],
  async run(ctx) {
    const cfg = ctx.config.cluster;
    const single = await measureEcho(ctx, cfg, 'cluster.single');
    await Promise.all(ctx.loaders.map((l) => l.call('closeAll')));
    await ctx.server.call('waitConnections', { count: 0, timeoutMs: 20_000 }, 25_000);
    const cluster = await ClusterProcess.start(cfg.workers, ctx.config.childLifetimeMs);
    ctx.ownPids.push(...cluster.pids);
    try {
      const workers = await measureClusterEcho(ctx, cluster);
      return {
        'cluster.single.msgsPerSec': single['cluster.single.msgsPerSec']!,
        'cluster.workers.msgsPerSec': workers.msgsPerSec,
        'cluster.workers.cpuPerMsg': workers.cpuPerMsg,
        'cluster.speedup': workers.msgsPerSec / single['cluster.single.msgsPerSec']!,
      };
    } finally {
      await cluster.stop();
    }
  },
};
