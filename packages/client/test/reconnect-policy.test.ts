import { describe, expect, it } from 'vitest';
import { mayRetry, reconnectDelay } from '../src/reconnect-policy.js';

const opts = { reconnectDelay: 1000, reconnectDelayMax: 60_000, randomizationFactor: 0 };

describe('reconnectDelay', () => {
  it('follows reconnectDelay × 1.5^attempt exactly when randomizationFactor is 0', () => {
    expect([0, 1, 2, 3].map((a) => reconnectDelay(a, opts))).toEqual([1000, 1500, 2250, 3375]);
  });

  it('is capped at reconnectDelayMax', () => {
    expect(reconnectDelay(20, opts)).toBe(60_000);
    expect(reconnectDelay(3, { ...opts, reconnectDelayMax: 2000 })).toBe(2000);
  });

  it('draws the jitter from [d(1-r), d(1+r)]', () => {
    const r = { ...opts, randomizationFactor: 0.5 };
    expect(reconnectDelay(1, r, () => 0)).toBe(750);
    expect(reconnectDelay(1, r, () => 0.5)).toBe(1500);
    expect(reconnectDelay(1, r, () => 0.999_999)).toBeCloseTo(2250, 0);
    for (let i = 0; i < 200; i++) {
      const d = reconnectDelay(2, r);
      expect(d).toBeGreaterThanOrEqual(1125);
      expect(d).toBeLessThanOrEqual(3375);
    }
  });
});

describe('mayRetry', () => {
  it('allows retries up to maxReconnectAttempts, Infinity included', () => {
    expect(mayRetry(1, { maxReconnectAttempts: 0 })).toBe(false);
    expect(mayRetry(3, { maxReconnectAttempts: 3 })).toBe(true);
    expect(mayRetry(4, { maxReconnectAttempts: 3 })).toBe(false);
    expect(mayRetry(1e9, { maxReconnectAttempts: Number.POSITIVE_INFINITY })).toBe(true);
  });
});
