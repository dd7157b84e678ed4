// ulimit -n: what the run needs, the plan (as is / raise for children / explain), and a real child
// started through the shell wrapper with its own limit.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildHandle } from '../src/child-handle.js';
import { type BenchConfig, fullConfig, quickConfig } from '../src/config.js';
import { neededFds, planFds, readFdLimits } from '../src/fd-limits.js';

const withScenarios = (base: Omit<BenchConfig, 'outDir'>, scenarios: BenchConfig['scenarios']) =>
  ({ ...base, scenarios, outDir: '/nonexistent' }) as BenchConfig;

describe('neededFds', () => {
  it('counts the idle scenario only when it is selected', () => {
    expect(neededFds(withScenarios(fullConfig, ['memory']))).toBe(5200);
    expect(neededFds(withScenarios(fullConfig, ['memory', 'idle']))).toBe(50_200);
    expect(neededFds(withScenarios(quickConfig, ['idle']))).toBeLessThan(1000);
  });
});

describe('planFds', () => {
  it('starts children as they are when the soft limit suffices', () => {
    expect(planFds(5200, { soft: 20_000, hard: 20_000, canRaise: true })).toEqual({ ok: true });
  });

  it('raises the children when the shell may', () => {
    expect(planFds(50_200, { soft: 1024, hard: 65_536, canRaise: true })).toEqual({
      ok: true,
      raiseTo: 50_200,
    });
  });

  it('explains the limits, the fixes and the largest run that fits when it may not', () => {
    const plan = planFds(50_200, {
      soft: 20_000,
      hard: 20_000,
      canRaise: false,
      nrOpen: 1_048_576,
    });
    expect(plan.ok).toBe(false);
    const message = plan.ok ? '' : plan.message;
    expect(message).toContain('20000 (soft) / 20000 (hard)');
    expect(message).toContain('ulimit -n 50200');
    expect(message).toContain('CAP_SYS_RESOURCE');
    expect(message).toContain('/etc/security/limits.conf');
    expect(message).toContain('--ulimit nofile=50200:50200');
    expect(message).toContain('at most 19800 connections');
  });

  it('reads this machine', () => {
    const limits = readFdLimits(16);
    expect(limits.soft).toBeGreaterThan(16);
    expect(limits.hard).toBeGreaterThanOrEqual(limits.soft);
    // Lowering is always allowed, so a child shell can go down to 16.
    expect(limits.canRaise).toBe(true);
  });
});

describe('ChildHandle with fdLimit', () => {
  let child: ChildHandle | undefined;
  afterEach(async () => {
    await child?.close();
    child = undefined;
  });

  it('runs the child itself (same pid, IPC working) with that limit', async () => {
    const limit = Math.min(4321, readFdLimits(4321).soft);
    child = await ChildHandle.spawn({
      script: './load-child.ts',
      lifetimeMs: 30_000,
      fdLimit: limit,
    });
    await child.call('closeAll');
    const limits = readFileSync(`/proc/${child.pid}/limits`, 'utf8');
    const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
    expect(line?.split(/\s+/).slice(3, 5)).toEqual([String(limit), String(limit)]);
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('load-child.ts');
    expect(cmdline.startsWith('sh')).toBe(false);
  }, 30_000);
});
