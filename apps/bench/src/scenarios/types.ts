// What a scenario is given for one trial (one implementation, one repetition) and what it returns.
import type { ChildHandle } from '../child-handle.js';
import type { BenchConfig, ScenarioId } from '../config.js';
import type { ImplId, Variant } from '../impls/types.js';

export interface TrialContext {
  impl: ImplId;
  config: BenchConfig;
  /** The child hosting the started server under test. */
  server: ChildHandle;
  /** Load generator children (clients are split between them). */
  loaders: ChildHandle[];
  port: number;
  variant: Variant;
  /** Runs a measured window, sampling how busy the machine was with other work meanwhile. */
  window<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Starts one more server child of the same implementation and variant (multi-server
   * scenarios); it is counted in the noise sampling and closed with the trial.
   */
  spawnServer(): Promise<{ server: ChildHandle; port: number }>;
  /** Pids whose CPU is ours (not machine noise); scenarios add processes they start. */
  ownPids: number[];
}

/** What `Scenario.prepare` sets up before the server starts (e.g. a Redis every server shares). */
export interface TrialSetup {
  variant: Variant;
  /** Pids of processes the setup started (their CPU is not machine noise). */
  pids: number[];
  cleanup(): Promise<void>;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Implementations this scenario compares. */
  impls: readonly ImplId[];
  /** Server/client settings for this scenario. @default PLAIN */
  variant?: Variant;
  /** Load generator children this scenario needs. @default config.loaders */
  loaders?(config: BenchConfig): number;
  /** Runs before the server child starts; its variant replaces `variant`. */
  prepare?(config: BenchConfig): Promise<TrialSetup>;
  /** Runs one trial; returns metric id → value. */
  run(ctx: TrialContext): Promise<Record<string, number>>;
}

/** Splits `total` as evenly as possible into `parts` counts. */
export function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/** How `connectClients` spreads its clients beyond the loader split. */
export interface ConnectSpread {
  /** Source address of loader i's connections (default: the kernel picks, 127.0.0.1). */
  sourceAddress?(loader: number): string;
}

/** Connects `total` clients spread over the loaders and waits until the server has them all. */
export async function connectClients(
  ctx: TrialContext,
  total: number,
  concurrency: number,
  spread: ConnectSpread = {},
): Promise<number> {
  const counts = split(total, ctx.loaders.length);
  const per = Math.max(1, Math.floor(concurrency / ctx.loaders.length));
  // Room for a slow loaded machine: 10 ms per connection of the biggest share, at least 2 minutes.
  const connectMs = Math.max(120_000, Math.max(...counts) * 10);
  const replies = await Promise.all(
    ctx.loaders.map((l, i) =>
      l.call<{ ms: number }>(
        'connect',
        {
          impl: ctx.impl,
          port: ctx.port,
          count: counts[i],
          concurrency: per,
          variant: ctx.variant,
          ...(spread.sourceAddress ? { localAddress: spread.sourceAddress(i) } : {}),
        },
        connectMs,
      ),
    ),
  );
  await ctx.server.call('waitConnections', { count: total, timeoutMs: 20_000 }, 25_000);
  return Math.max(...replies.map((r) => r.ms));
}

/** CPU µs between two process.cpuUsage readings divided by n: user, system, total. */
export function cpuPer(a: NodeJS.CpuUsage, b: NodeJS.CpuUsage, n: number) {
  const user = (b.user - a.user) / n;
  const system = (b.system - a.system) / n;
  return { user, system, total: user + system };
}
