// Rate limiter: sliding-window semantics, per-event rules, retryAfter accuracy, validation.
import { serialize } from 'node:v8';
import { SmartSocketError } from '@smartsocket/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/rate-limiter.js';

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

function configError(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof SmartSocketError ? err.code : 'not a SmartSocketError';
  }
  return undefined;
}

describe('RateLimiter', () => {
  it('allows maxRequests per window, then refuses with ERR_RATE_001', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 1000, maxRequests: 3 }, now: c.now });
    const state = limiter.createState();
    expect(limiter.consume(state, 'a')).toBeUndefined();
    expect(limiter.consume(state, 'b')).toBeUndefined();
    expect(limiter.consume(state, 'c')).toBeUndefined();
    const verdict = limiter.consume(state, 'd');
    // The burst sits in the first 100 ms slot, which leaves the window at t = 1100.
    expect(verdict).toEqual({ code: 'ERR_RATE_001', retryAfter: 1100, event: 'd' });
  });

  it('keeps clients apart', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 1000, maxRequests: 1 }, now: c.now });
    const a = limiter.createState();
    const b = limiter.createState();
    expect(limiter.consume(a, 'x')).toBeUndefined();
    expect(limiter.consume(a, 'x')?.code).toBe('ERR_RATE_001');
    expect(limiter.consume(b, 'x')).toBeUndefined();
  });

  it('slides: events leave the window slot by slot, never more than max in any window', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 1000, maxRequests: 10 }, now: c.now });
    const state = limiter.createState();
    for (let i = 0; i < 5; i++) expect(limiter.consume(state, 'e')).toBeUndefined();
    c.t = 500;
    for (let i = 0; i < 5; i++) expect(limiter.consume(state, 'e')).toBeUndefined();
    // A plain fixed window would allow 10 more at t=1000; the sliding window still holds t=0..500.
    c.t = 1000;
    const verdict = limiter.consume(state, 'e');
    expect(verdict?.code).toBe('ERR_RATE_001');
    expect(verdict?.retryAfter).toBe(100);
    c.t = 1099;
    expect(limiter.consume(state, 'e')).toBeDefined();
    c.t = 1100;
    for (let i = 0; i < 5; i++) expect(limiter.consume(state, 'e')).toBeUndefined();
    // Now the five of t=500 must leave: their slot [500, 600) is out of the window at t=1600.
    expect(limiter.consume(state, 'e')?.retryAfter).toBe(500);
  });

  it('forgets everything after two idle windows', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 100, maxRequests: 2 }, now: c.now });
    const state = limiter.createState();
    limiter.consume(state, 'e');
    limiter.consume(state, 'e');
    c.t = 250;
    expect(limiter.consume(state, 'e')).toBeUndefined();
    expect(limiter.consume(state, 'e')).toBeUndefined();
  });

  it('applies per-event rules with ERR_RATE_002 and leaves other events alone', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 1000, maxRequests: 100 }, now: c.now });
    limiter.setEventRateLimit('message', { window: 5000, maxRequests: 2 });
    const state = limiter.createState();
    expect(limiter.consume(state, 'message')).toBeUndefined();
    expect(limiter.consume(state, 'message')).toBeUndefined();
    expect(limiter.consume(state, 'message')).toEqual({
      code: 'ERR_RATE_002',
      retryAfter: 5500,
      event: 'message',
    });
    expect(limiter.consume(state, 'other')).toBeUndefined();
  });

  it('works with per-event rules only (no global rule)', () => {
    const c = clock();
    const limiter = new RateLimiter({ now: c.now });
    limiter.setEventRateLimit('x', { window: 100, maxRequests: 1 });
    const state = limiter.createState();
    limiter.consume(state, 'warm-up');
    const size = serialize(state).length;
    // Client-chosen event names without a rule never allocate state.
    for (let i = 0; i < 1000; i++) expect(limiter.consume(state, `free-${i}`)).toBeUndefined();
    expect(serialize(state).length).toBe(size);
    expect(limiter.consume(state, 'x')).toBeUndefined();
    expect(limiter.consume(state, 'x')?.code).toBe('ERR_RATE_002');
  });

  it('does not count a refused event against either rule', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 1000, maxRequests: 3 }, now: c.now });
    limiter.setEventRateLimit('x', { window: 1000, maxRequests: 1 });
    const state = limiter.createState();
    expect(limiter.consume(state, 'x')).toBeUndefined();
    // Refused by the event rule: must not use up the global budget.
    for (let i = 0; i < 50; i++) expect(limiter.consume(state, 'x')?.code).toBe('ERR_RATE_002');
    expect(limiter.consume(state, 'y')).toBeUndefined();
    expect(limiter.consume(state, 'y')).toBeUndefined();
    expect(limiter.consume(state, 'y')?.code).toBe('ERR_RATE_001');
    // Refused by the global rule: must not use up the event budget either.
    c.t = 2000; // two windows later: both rules are clear again
    expect(limiter.consume(state, 'x')).toBeUndefined();
  });

  it('when both rules refuse, reports the global code with a wait that satisfies both', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 100, maxRequests: 1 }, now: c.now });
    limiter.setEventRateLimit('x', { window: 10_000, maxRequests: 1 });
    const state = limiter.createState();
    expect(limiter.consume(state, 'x')).toBeUndefined();
    const verdict = limiter.consume(state, 'x');
    expect(verdict?.code).toBe('ERR_RATE_001');
    expect(verdict?.retryAfter).toBe(11_000);
    c.t += verdict?.retryAfter ?? 0;
    expect(limiter.consume(state, 'x')).toBeUndefined();
  });

  it('replacing an event rule starts its counters afresh', () => {
    const c = clock();
    const limiter = new RateLimiter({ now: c.now });
    limiter.setEventRateLimit('x', { window: 1000, maxRequests: 1 });
    const state = limiter.createState();
    limiter.consume(state, 'x');
    expect(limiter.consume(state, 'x')).toBeDefined();
    limiter.setEventRateLimit('x', { window: 1000, maxRequests: 2 });
    expect(limiter.getEventRateLimit('x')).toEqual({ window: 1000, maxRequests: 2 });
    expect(limiter.consume(state, 'x')).toBeUndefined();
  });

  it('rejects invalid rules with ERR_CONFIG_001', () => {
    const limiter = new RateLimiter();
    const bad: unknown[] = [
      null,
      {},
      { window: 0, maxRequests: 1 },
      { window: -5, maxRequests: 1 },
      { window: Number.POSITIVE_INFINITY, maxRequests: 1 },
      { window: 100, maxRequests: 0 },
      { window: 100, maxRequests: 1.5 },
      { window: '100', maxRequests: 1 },
    ];
    for (const rule of bad) {
      expect(configError(() => limiter.setEventRateLimit('e', rule as never))).toBe(
        'ERR_CONFIG_001',
      );
      expect(configError(() => new RateLimiter({ global: rule as never }))).toBe('ERR_CONFIG_001');
    }
    expect(
      configError(() => limiter.setEventRateLimit(5 as never, { window: 1, maxRequests: 1 })),
    ).toBe('ERR_CONFIG_001');
  });

  it('property: waiting retryAfter succeeds, one ms less does not; no fixed window exceeds max', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 200 }),
        (window, maxRequests, gaps) => {
          const c = clock(12_345);
          const limiter = new RateLimiter({ global: { window, maxRequests }, now: c.now });
          const state = limiter.createState();
          const accepted: number[] = [];
          for (const gap of gaps) {
            c.t += gap;
            const verdict = limiter.consume(state, 'e');
            if (verdict === undefined) {
              accepted.push(c.t);
              continue;
            }
            expect(verdict.retryAfter).toBeGreaterThanOrEqual(1);
            // Probe on a copy so the schedule under test is not disturbed.
            const t0 = c.t;
            const snapshot = structuredClone(state);
            if (verdict.retryAfter > 1) {
              c.t = t0 + verdict.retryAfter - 1;
              expect(limiter.consume(structuredClone(snapshot), 'e')).toBeDefined();
            }
            c.t = t0 + verdict.retryAfter;
            expect(limiter.consume(structuredClone(snapshot), 'e')).toBeUndefined();
            c.t = t0;
          }
          // Never more than maxRequests in any window of `window` ms, sliding or fixed.
          const perWindow = new Map<number, number>();
          for (const t of accepted) {
            const k = Math.floor(t / window);
            perWindow.set(k, (perWindow.get(k) ?? 0) + 1);
          }
          for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(maxRequests);
          for (let i = 0, j = 0; j < accepted.length; j++) {
            while ((accepted[j] as number) - (accepted[i] as number) >= window) i++;
            expect(j - i + 1).toBeLessThanOrEqual(maxRequests);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sustains the configured rate under steady load', () => {
    const c = clock();
    const limiter = new RateLimiter({ global: { window: 1000, maxRequests: 50 }, now: c.now });
    const state = limiter.createState();
    let accepted = 0;
    // A client trying every ms for 20 windows.
    for (let t = 0; t < 20_000; t++) {
      c.t = t;
      if (limiter.consume(state, 'e') === undefined) accepted++;
    }
    // Bursts at slot starts cost at most one slot (window / 10) of waiting per window.
    expect(accepted).toBeGreaterThanOrEqual((20 * 50 * 10) / 11 - 50);
    expect(accepted).toBeLessThanOrEqual(20 * 50 + 50);
  });
});
