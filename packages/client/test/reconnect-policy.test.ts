import { describe, expect, it } from 'vitest';
import { mayRetry, reconnectDelay, withAnnounced } from '../src/reconnect-policy.js';

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

describe('withAnnounced', () => {
  const opts = {
    reconnectDelay: 1000,
    reconnectDelayMax: 2000,
    randomizationFactor: 0,
    maxReconnectAttempts: 10,
  };

  it("takes the server's delay and attempts (null: unlimited) for options the user did not set", () => {
    expect(withAnnounced(opts, { delay: 5000, maxAttempts: null }, new Set())).toEqual({
      ...opts,
      reconnectDelay: 5000,
      reconnectDelayMax: 5000,
      maxReconnectAttempts: Number.POSITIVE_INFINITY,
    });
    expect(withAnnounced(opts, { maxAttempts: 3 }, new Set(['maxReconnectAttempts']))).toEqual(
      opts,
    );
  });

  it('ignores what is not a whole number of ms or attempts', () => {
    for (const bad of [{ delay: -1 }, { delay: 1.5 }, { maxAttempts: '3' }, { delay: 2 ** 31 }])
      expect(withAnnounced(opts, bad, new Set())).toEqual(opts);
    expect(withAnnounced(opts, undefined, new Set())).toEqual(opts);
  });
});
