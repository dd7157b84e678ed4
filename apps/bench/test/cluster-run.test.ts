// End-to-end: a tiny run of the node:cluster scenario (one process, then two workers) in real processes.
import { describe, expect, it } from 'vitest';
import { type BenchConfig, quickConfig } from '../src/config.js';
import { runBench } from '../src/orchestrator.js';
import { Progress } from '../src/progress.js';

const tiny: BenchConfig = {
  ...quickConfig,
  impls: ['smartsocket'],
  scenarios: ['cluster'],
  cluster: { conns: 4, inFlight: 2, payloadBytes: 100, warmupMs: 50, windowMs: 200, workers: 2 },
  childLifetimeMs: 60_000,
  outDir: '/nonexistent',
};

describe('runBench (tiny, node:cluster)', () => {
  it('measures one process and two workers with the same load', async () => {
    const result = await runBench(tiny, new Progress(false));
    expect(
      result.trials.map((t) => `${t.scenario}/${t.impl}${t.error ? ` ${t.error}` : ''}`),
    ).toEqual(['cluster/smartsocket']);
    const metrics = result.trials[0]!.metrics;
    expect(metrics['cluster.single.msgsPerSec']).toBeGreaterThan(0);
    expect(metrics['cluster.workers.msgsPerSec']).toBeGreaterThan(0);
    expect(metrics['cluster.speedup']).toBeGreaterThan(0);
  }, 60_000);
});
