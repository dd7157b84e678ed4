import { describe, expect, it } from 'vitest';
import { concatSamples, median, percentile, summarize } from '../src/stats.js';

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile([10, 20], 99)).toBeCloseTo(19.9);
  });

  it('handles one value and no value', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('does not reorder its input', () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
  });
});

describe('median and summarize', () => {
  it('ignores non-finite values', () => {
    expect(median([1, Number.NaN, 3, Number.POSITIVE_INFINITY])).toBe(2);
  });

  it('gives median, min, max and relative spread', () => {
    expect(summarize([10, 12, 8])).toEqual({ count: 3, median: 10, min: 8, max: 12, spread: 0.4 });
    expect(summarize([]).count).toBe(0);
  });

  it('concatenates sample arrays', () => {
    expect([...concatSamples([[1, 2], new Float64Array([3])])]).toEqual([1, 2, 3]);
  });
});
