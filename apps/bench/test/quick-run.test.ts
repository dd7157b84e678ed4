// End-to-end: a tiny run of every scenario for raw ws (both variants), in real child processes.
import { describe, expect, it } from 'vitest';
import { type BenchConfig, quickConfig } from '../src/config.js';
import { runBench } from '../src/orchestrator.js';
import { Progress } from '../src/progress.js';
import { buildSummary } from '../src/summary.js';

const tiny: BenchConfig = {
  ...quickConfig,
  impls: ['ws', 'ws-once'],
  scenarios: ['echo', 'broadcast', 'memory', 'connect', 'compressed', 'encrypted', 'idle'],
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
  compressed: { clients: 3, count: 3, payloadBytes: 2048 },
  encrypted: { clients: 3, count: 3 },
  idle: { conns: 10, loaders: 2, concurrency: 4 },
  childLifetimeMs: 30_000,
  outDir: '/nonexistent',
};

describe('runBench (tiny, raw ws)', () => {
  it('measures every scenario in child processes', async () => {
    const result = await runBench(tiny, new Progress(false));
    // ws: echo, broadcast, memory, connect, compressed, idle; ws-once: broadcast, encrypted
    expect(
      result.trials.map((t) => `${t.scenario}/${t.impl}${t.error ? ` ${t.error}` : ''}`),
    ).toEqual([
      'echo/ws',
      'broadcast/ws',
      'broadcast/ws-once',
      'memory/ws',
      'connect/ws',
      'compressed/ws',
      'encrypted/ws-once',
      'idle/ws',
    ]);
    const summary = buildSummary(result.trials);
    const median = (id: string) => summary.rows.find((r) => r.def.id === id)?.cells.ws?.median;
    expect(median('echo.msgsPerSec')).toBeGreaterThan(0);
    expect(median('echo.cpuPerMsg')).toBeGreaterThan(0);
    expect(median('tick.deliveriesPerSec')).toBeGreaterThan(0);
    expect(median('paced.p99')).toBeGreaterThan(0);
    expect(median('connect.cpuPerConn')).toBeGreaterThan(0);
    expect(median('memory.heapPerConn')).toBeDefined();
    expect(median('compressed.bytesPerDelivery')).toBeGreaterThan(0);
    expect(median('idle.rssMB')).toBeGreaterThan(0);
    expect(median('idle.heapPerConn')).toBeDefined();
  }, 30_000);
});
