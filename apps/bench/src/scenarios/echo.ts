// Scenario 1: echo under load (N connections × M in flight, ~100-byte messages, fixed window).
import { delay } from '../clock.js';
import type { EchoMark } from '../load/echo-load.js';
import type { ServerMark } from '../server-commands.js';
import { concatSamples, percentile } from '../stats.js';
import { connectClients, cpuPer, type Scenario, type TrialContext } from './types.js';

/** The load shape of an echo run. */
export type EchoLoad = Pick<
  TrialContext['config']['echo'],
  'conns' | 'inFlight' | 'payloadBytes' | 'warmupMs' | 'windowMs'
>;

/**
 * Connects `cfg.conns` clients, keeps `cfg.inFlight` echoes in flight per client, and measures one
 * window: metrics under `prefix` (`echo.msgsPerSec`, …). Shared by the WebSocket and polling runs.
 */
export async function measureEcho(
  ctx: TrialContext,
  cfg: EchoLoad,
  prefix: string,
): Promise<Record<string, number>> {
  await connectClients(ctx, cfg.conns, 50);
  await Promise.all(
    ctx.loaders.map((l) =>
      l.call('echoStart', { inFlight: cfg.inFlight, payloadBytes: cfg.payloadBytes }),
    ),
  );
  await delay(cfg.warmupMs);
  const markAll = () =>
    Promise.all([
      ctx.server.call<ServerMark>('mark'),
      ...ctx.loaders.map((l) => l.call<EchoMark>('echoMark')),
    ]) as Promise<[ServerMark, ...EchoMark[]]>;
  const { s0, s1, m0, marks } = await ctx.window(async () => {
    const [s0, ...m0] = await markAll();
    await delay(cfg.windowMs);
    const [s1, ...marks] = await markAll();
    return { s0, s1, m0, marks };
  });
  await Promise.all(ctx.loaders.map((l) => l.call('echoStop', { timeoutMs: 5000 }, 10_000)));
  const echoed = s1.echoed - s0.echoed;
  if (echoed <= 0) throw new Error('no echo completed in the window');
  const received = marks.reduce((n, mk) => n + mk.received, 0);
  const latencies = concatSamples(marks.map((mk) => mk.latencies));
  const cpu = cpuPer(s0.cpu, s1.cpu, echoed);
  const clientCpu = marks.reduce((n, mk, i) => n + mk.cpu - (m0[i]?.cpu ?? mk.cpu), 0);
  return {
    [`${prefix}.msgsPerSec`]: received / ((s1.at - s0.at) / 1000),
    [`${prefix}.cpuPerMsg`]: cpu.total,
    [`${prefix}.cpuUserPerMsg`]: cpu.user,
    [`${prefix}.cpuSysPerMsg`]: cpu.system,
    [`${prefix}.clientCpuPerMsg`]: clientCpu / received,
    [`${prefix}.p50`]: percentile(latencies, 50),
    [`${prefix}.p99`]: percentile(latencies, 99),
  };
}

export const echoScenario: Scenario = {
  id: 'echo',
  title: 'Echo',
  impls: ['smartsocket', 'socket.io', 'ws'],
  run: (ctx) => measureEcho(ctx, ctx.config.echo, 'echo'),
};
