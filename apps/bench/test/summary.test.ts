import { describe, expect, it } from 'vitest';
import { evaluateGoal } from '../src/goals.js';
import { buildSummary, finalTrials, medianRatio } from '../src/summary.js';
import { echoTrials, trial } from './fixtures.js';

describe('medianRatio', () => {
  it('is the median of per-repetition ratios, over repetitions both have', () => {
    const a = new Map([
      [1, 2],
      [2, 3],
      [3, 10],
    ]);
    const b = new Map([
      [1, 4],
      [2, 3],
    ]);
    expect(medianRatio(a, b)).toBe(0.75);
    expect(medianRatio(a, new Map())).toBeUndefined();
  });
});

describe('finalTrials', () => {
  it('keeps the last attempt of a repeated trial', () => {
    const first = trial({ impl: 'ws', rep: 1, flagged: true, metrics: { x: 1 } });
    const second = trial({ impl: 'ws', rep: 1, attempt: 2, metrics: { x: 2 } });
    expect(finalTrials([first, second])).toEqual([second]);
  });
});

describe('buildSummary', () => {
  it('summarizes per implementation and computes SmartSocket ratios and goals', () => {
    const summary = buildSummary(echoTrials());
    const cpu = summary.rows.find((r) => r.def.id === 'echo.cpuPerMsg')!;
    expect(cpu.cells.smartsocket).toMatchObject({ median: 5, min: 4, max: 6 });
    // per-rep ratios vs Socket.IO: 0.4 and 0.3 → median 0.35
    expect(cpu.ratios['socket.io']).toBeCloseTo(0.35);
    expect(cpu.ratios.ws).toBeCloseTo(1);
    const statuses = Object.fromEntries(cpu.goals.map((g) => [g.goal.baseline, g.status]));
    expect(statuses).toEqual({ 'socket.io': 'met', ws: 'met' });
  });

  it('reports failures and leaves their metrics out', () => {
    const trials = [
      ...echoTrials().filter((t) => t.impl !== 'smartsocket'),
      trial({ impl: 'smartsocket', rep: 1, error: 'boom' }),
    ];
    const summary = buildSummary(trials);
    expect(summary.failures).toEqual([
      { scenario: 'echo', impl: 'smartsocket', rep: 1, error: 'boom' },
    ]);
    const cpu = summary.rows.find((r) => r.def.id === 'echo.cpuPerMsg')!;
    expect(cpu.ratios['socket.io']).toBeUndefined();
    expect(cpu.goals.every((g) => g.status === 'n/a')).toBe(true);
  });

  it('counts flagged and repeated trials', () => {
    const trials = [
      trial({ impl: 'ws', rep: 1, flagged: true, otherLoad: [0.4] }),
      trial({ impl: 'ws', rep: 1, attempt: 2, flagged: true, otherLoad: [0.3] }),
    ];
    const summary = buildSummary(trials);
    expect(summary).toMatchObject({ trials: 2, repeatedTrials: 1, flaggedTrials: 1 });
    expect(summary.maxOtherLoad).toBe(0.3);
  });
});

describe('evaluateGoal', () => {
  it('respects the direction of the goal', () => {
    const lower = { metric: 'm', baseline: 'socket.io' as const, op: '<=' as const, target: 0.4 };
    const higher = { metric: 'm', baseline: 'ws' as const, op: '>=' as const, target: 0.9 };
    expect(evaluateGoal(lower, 0.4)).toBe('met');
    expect(evaluateGoal(lower, 0.41)).toBe('missed');
    expect(evaluateGoal(higher, 0.85)).toBe('missed');
    expect(evaluateGoal(higher, undefined)).toBe('n/a');
  });
});
