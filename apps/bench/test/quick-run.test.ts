// End-to-end: a tiny run of every scenario for raw ws only, in real child processes.
import { describe, expect, it } from 'vitest';
import { type BenchConfig, quickConfig } from '../src/config.js';
import { runBench } from '../src/orchestrator.js';
import { Progress } from '../src/progress.js';
import { buildSummary } from '../src/summary.js';

const tiny: BenchConfig = {
  ...quickConfig,
  impls: ['ws'],
  echo: { conns: 2, inFlight: 2, payloadBytes: 100, warmupMs: 50, windowMs: 150 },
  broadcast: {
    clients: 5,
    payloadBytes: 100,
    pacedCount: 3,
    intervalMs: 10,
    burstCount: 5,
    warmupCount: 1,
  },
  memory: { conns: 10, concurrency: 5 },
  connect: { count: 10, concurrency: 5 },
  childLifetimeMs: 30_000,
  outDir: '/nonexistent',
};

describe('runBench (tiny, raw ws)', () => {
  it('measures every scenario in child processes', async () => {
    const result = await runBench(tiny, new Progress(false));
    expect(result.trials.map((t) => t.error)).toEqual([undefined, undefined, undefined, undefined]);
    const summary = buildSummary(result.trials);
    const median = (id: string) => summary.rows.find((r) => r.def.id === id)?.cells.ws?.median;
    expect(median('echo.msgsPerSec')).toBeGreaterThan(0);
    expect(median('echo.cpuPerMsg')).toBeGreaterThan(0);
    expect(median('tick.deliveriesPerSec')).toBeGreaterThan(0);
    expect(median('paced.p99')).toBeGreaterThan(0);
    expect(median('connect.cpuPerConn')).toBeGreaterThan(0);
    expect(median('memory.heapPerConn')).toBeDefined();
  }, 30_000);
});
